# syntax=docker/dockerfile:1
# One image per service, from the service's runnable jar, in Spring Boot's layers (dependencies, loader, snapshot
# dependencies, application: a code change rebuilds only the last). Build the jars first, then one image per service:
#
#   ./mvnw -B -DskipTests package
#   docker build --build-arg SERVICE=judge-service --build-arg PORT=8082 -t tsr/judge-service:0.1.0 .
#
# The GPU variant (generator-service and trainer-service) is the target "gpu": the jars built with -Pgpu (no CPU
# libtorch inside) and libtorch for CUDA baked into the image, so nothing is downloaded when a container starts:
#
#   ./mvnw -B -DskipTests -Pgpu package
#   docker build --target gpu --build-arg SERVICE=trainer-service --build-arg PORT=8084 -t tsr/trainer-service:0.1.0-cu128 .
#
# See docs/deployment.md.

ARG JAVA_IMAGE=eclipse-temurin:17.0.15_6-jre-jammy
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu22.04

# --- the jar split into its layers, with Spring Boot's launcher -------------------------------------------------
FROM ${JAVA_IMAGE} AS layers
ARG SERVICE
WORKDIR /build
COPY ${SERVICE}/target/${SERVICE}-0.1.0-SNAPSHOT-exec.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

# --- the Java runtime, copied into the CUDA image ------------------------------------------------------------------
FROM ${JAVA_IMAGE} AS jre

# --- libtorch for CUDA, at the version DJL 0.36's PyTorch engine loads (its pytorch-jni carries the cu128 JNI) ---
FROM ${CUDA_IMAGE} AS libtorch
ARG LIBTORCH_URL=https://download.pytorch.org/libtorch/cu128/libtorch-cxx11-abi-shared-with-deps-2.7.1%2Bcu128.zip
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unzip \
    && curl -fsSL -o /tmp/libtorch.zip "${LIBTORCH_URL}" \
    && unzip -q /tmp/libtorch.zip -d /opt \
    && rm /tmp/libtorch.zip \
    && rm -rf /var/lib/apt/lists/*

# --- GPU image: generator-service or trainer-service on CUDA ------------------------------------------------------
FROM ${CUDA_IMAGE} AS gpu
ARG PORT=8080
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 tsr \
    && useradd --system --uid 10001 --gid tsr --home-dir /home/tsr --create-home tsr \
    && mkdir -p /var/cache/djl /var/lib/tsr/checkpoints \
    && chown -R tsr:tsr /var/cache/djl /var/lib/tsr
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
COPY --from=libtorch /opt/libtorch /opt/libtorch
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:${PATH} \
    PYTORCH_LIBRARY_PATH=/opt/libtorch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    LD_LIBRARY_PATH=/opt/libtorch/lib \
    DJL_CACHE_DIR=/var/cache/djl \
    DJL_OFFLINE=true \
    TSR_INFERENCE_DEVICE=gpu0 \
    TSR_TRAINER_DEVICE=gpu0 \
    TSR_TRAINER_CHECKPOINT_DIR=/var/lib/tsr/checkpoints \
    PORT=${PORT} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
WORKDIR /app
COPY --from=layers --chown=tsr:tsr /build/extracted/dependencies/ ./
COPY --from=layers --chown=tsr:tsr /build/extracted/spring-boot-loader/ ./
COPY --from=layers --chown=tsr:tsr /build/extracted/snapshot-dependencies/ ./
COPY --from=layers --chown=tsr:tsr /build/extracted/application/ ./
USER 10001:10001
VOLUME ["/var/cache/djl", "/var/lib/tsr/checkpoints"]
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://localhost:${PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]

# --- CPU image (the default target): any of the five services ----------------------------------------------------
FROM ${JAVA_IMAGE} AS cpu
ARG PORT=8080
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 tsr \
    && useradd --system --uid 10001 --gid tsr --home-dir /home/tsr --create-home tsr \
    && mkdir -p /var/cache/djl /var/lib/tsr/checkpoints \
    && chown -R tsr:tsr /var/cache/djl /var/lib/tsr
# the CPU libtorch comes in the application's own jar (pytorch-native-cpu) and is unpacked into DJL_CACHE_DIR on the
# first start: keep that folder on a volume so later starts skip it
ENV DJL_CACHE_DIR=/var/cache/djl \
    DJL_OFFLINE=true \
    TSR_TRAINER_CHECKPOINT_DIR=/var/lib/tsr/checkpoints \
    PORT=${PORT} \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
WORKDIR /app
COPY --from=layers --chown=tsr:tsr /build/extracted/dependencies/ ./
COPY --from=layers --chown=tsr:tsr /build/extracted/spring-boot-loader/ ./
COPY --from=layers --chown=tsr:tsr /build/extracted/snapshot-dependencies/ ./
COPY --from=layers --chown=tsr:tsr /build/extracted/application/ ./
USER 10001:10001
VOLUME ["/var/cache/djl", "/var/lib/tsr/checkpoints"]
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS "http://localhost:${PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
