package org.tsr.trainer.kubernetes;

import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.trainer.execution.ExecutionContext;
import org.tsr.trainer.execution.ExecutionFixtures;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.PreferenceRow;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.RecordingJobProgress;
import org.tsr.trainer.job.TrainedModel;
import org.tsr.trainer.storage.CheckpointStorage;

/**
 * A Kubernetes API server in the test JVM (fabric8's mock server in CRUD mode) and a checkpoints folder: the tests
 * play the Job and TrainJob controllers, the kubelet and the trainer by hand, creating pods, setting statuses, serving
 * logs and writing the model where a pod would.
 */
final class TrainingCluster {

    static final String NAMESPACE = "test";
    static final int TAIL_LINES = 100;

    final KubernetesMockServer server;
    final KubernetesClient client;
    final Path checkpoints;
    final RecordingJobProgress progress = new RecordingJobProgress();
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();

    TrainingCluster(KubernetesMockServer server, KubernetesClient client, Path checkpoints) {
        this.server = server;
        this.client = client;
        this.checkpoints = checkpoints;
    }

    KubernetesProperties properties(Duration deadline) {
        return new KubernetesProperties(
                true,
                NAMESPACE,
                new KubernetesProperties.Job("tsr/trainer-service:0.1.0-cu128", 0),
                new KubernetesProperties.Kubeflow(
                        "tsr/trl-trainer:0.1.0",
                        "tsr-trl-torch-distributed",
                        "TrainingRuntime",
                        List.of("torchrun", "/opt/tsr-trainer/train.py")),
                new KubernetesProperties.Checkpoints("tsr-checkpoints", checkpoints),
                new KubernetesProperties.Pods(
                        "tsr-training",
                        "4",
                        "32Gi",
                        "nvidia.com/gpu",
                        List.of("nvidia.com/gpu.present=true"),
                        List.of(new KubernetesProperties.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"))),
                Duration.ofMillis(50),
                deadline,
                TAIL_LINES,
                List.of("registry.example/"));
    }

    KubernetesExecution execution(TrainingExecutor executor) {
        return execution(executor, properties(null));
    }

    KubernetesExecution execution(TrainingExecutor executor, KubernetesProperties properties) {
        Workload workload = executor == TrainingExecutor.KUBEFLOW
                ? new TrainJobWorkload(client, NAMESPACE, properties)
                : new BatchJobWorkload(client, NAMESPACE, properties, 8);
        CheckpointStorage storage = new FolderStorage(checkpoints);
        return new KubernetesExecution(
                workload,
                new WorkloadFollower(client, NAMESPACE, properties),
                properties,
                ExecutionFixtures.exportWriter(storage),
                RecordingJobProgress.publishingTo(storage),
                progress,
                progress.remote(),
                ExecutionFixtures.importedModels(RecordingJobProgress.properties()));
    }

    /** A DPO job of two pairs with these trainer settings, its folders under the checkpoints folder. */
    PreparedJob job(long id, TrainerSettings trainer) {
        Path work = checkpoints.resolve("jobs").resolve(Long.toString(id));
        JobExport export = new JobExport(
                JobExport.VERSION,
                id,
                TrainingKind.DPO,
                TrainingSettings.defaults(),
                trainer,
                checkpoints.resolve("models/m0").toString(),
                checkpoints.resolve("models/m0").toString(),
                JobExport.EXAMPLES_FILE,
                work.resolve("model").toString(),
                work.resolve("checkpoint").toString(),
                null);
        List<PreferenceRow> pairs = List.of(
                new PreferenceRow("sort: cba", "abc", "cab", null, null),
                new PreferenceRow("sort: fed", "def", "efd", null, null));
        return new PreparedJob(export, "policy", pairs, List.of(1L, 2L), null);
    }

    /** One attempt at a job, in a thread of its own as a worker runs it; cancel it, count its re-attachments. */
    final class Attempt {

        final AtomicBoolean cancelled = new AtomicBoolean();
        final AtomicInteger reattached = new AtomicInteger();
        final CompletableFuture<TrainedModel> result;

        Attempt(KubernetesExecution execution, PreparedJob job) {
            ExecutionContext context = new ExecutionContext(Runnable::run, reattached::incrementAndGet, cancelled::get);
            result = CompletableFuture.supplyAsync(() -> execution.train(job, context));
        }
    }

    Attempt train(KubernetesExecution execution, PreparedJob job) {
        return new Attempt(execution, job);
    }

    Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
    }

    GenericKubernetesResource trainJob(String name) {
        return client.genericKubernetesResources(TrainJobWorkload.TRAIN_JOBS)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    /** What the Job controller would write: a condition that is true. */
    void jobCondition(String name, String type, String reason, String message) {
        Job job = eventually(() -> job(name));
        job.setStatus(new JobStatusBuilder()
                .withConditions(new JobConditionBuilder()
                        .withType(type)
                        .withStatus("True")
                        .withReason(reason)
                        .withMessage(message)
                        .build())
                .build());
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(job).updateStatus();
    }

    /** What the Trainer controller would write: a condition that is true, on a TrainJob. */
    void trainJobCondition(String name, String type, String reason, String message) {
        GenericKubernetesResource trainJob = eventually(() -> trainJob(name));
        trainJob.getAdditionalProperties()
                .put(
                        "status",
                        Map.of(
                                "conditions",
                                List.of(Map.of("type", type, "status", "True", "reason", reason, "message", message))));
        client.genericKubernetesResources(TrainJobWorkload.TRAIN_JOBS)
                .inNamespace(NAMESPACE)
                .resource(trainJob)
                .updateStatus();
    }

    /** A pod whose container runs, serving whatever {@link #print} writes to its log. */
    Pod runningPod(String name, Map<String, String> labels, String container) {
        logs.put(name, new ArrayList<>());
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + name + "/log?pretty=false&container="
                        + container + "&tailLines=" + TAIL_LINES + "&timestamps=true")
                .andReply(200, request -> String.join("", logs.get(name)))
                .always();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(container)
                .withImage("any")
                .endContainer()
                .endSpec()
                .build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
        return podStatus(
                name,
                "Running",
                new ContainerStatusBuilder()
                        .withName(container)
                        .withNewState()
                        .withNewRunning()
                        .endRunning()
                        .endState()
                        .build());
    }

    /** Sets what the kubelet would report for the pod and its container. */
    Pod podStatus(String name, String phase, io.fabric8.kubernetes.api.model.ContainerStatus container) {
        Pod pod = client.pods().inNamespace(NAMESPACE).withName(name).get();
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                .withPhase(phase)
                .withContainerStatuses(container)
                .build());
        return client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
    }

    /** The container ended with this exit code, and reason (OOMKilled, Error, Completed). */
    void podTerminated(String name, String container, int exitCode, String reason) {
        podStatus(
                name,
                exitCode == 0 ? "Succeeded" : "Failed",
                new ContainerStatusBuilder()
                        .withName(container)
                        .withNewState()
                        .withNewTerminated()
                        .withExitCode(exitCode)
                        .withReason(reason)
                        .endTerminated()
                        .endState()
                        .build());
    }

    /** Lines the pod's trainer prints, stamped as the kubelet stamps them. */
    void print(String pod, String... lines) {
        for (String line : lines) {
            logs.get(pod).add(Instant.now() + " " + line + "\n");
        }
    }

    /** The model a trainer pod writes to the job's output folder on the shared volume: a real (tiny) one. */
    void writeModel(PreparedJob job) {
        Path model = job.export().outputPath();
        try (Stream<Path> files = Files.walk(TinyModelFixture.folder())) {
            for (Path file : files.toList()) {
                Path target =
                        model.resolve(TinyModelFixture.folder().relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T eventually(Supplier<T> value) {
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end) {
            T current = value.get();
            if (current != null && !Boolean.FALSE.equals(current)) {
                return current;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return fail("nothing came within 20 s");
    }
}
