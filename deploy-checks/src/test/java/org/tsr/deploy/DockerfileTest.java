package org.tsr.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Dockerfile without building it: every instruction is one Docker knows, with its arguments in a form Docker
 * accepts; its stages, images, user, volumes and the Spring Boot layer extraction are what docs/deployment.md says.
 */
class DockerfileTest {

    static final Set<String> INSTRUCTIONS = Set.of(
            "FROM",
            "RUN",
            "CMD",
            "LABEL",
            "EXPOSE",
            "ENV",
            "ADD",
            "COPY",
            "ENTRYPOINT",
            "VOLUME",
            "USER",
            "WORKDIR",
            "ARG",
            "ONBUILD",
            "STOPSIGNAL",
            "HEALTHCHECK",
            "SHELL",
            "MAINTAINER");
    static final Set<String> JSON_FORM = Set.of("CMD", "ENTRYPOINT", "SHELL");
    static final List<String> LAYERS =
            List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

    record Instruction(int line, String keyword, String arguments) {}

    record Stage(String name, String image, List<Instruction> instructions) {}

    final List<Instruction> instructions = parse(RepositoryFiles.read(RepositoryFiles.path("Dockerfile")));
    final Map<String, String> globalArgs = new HashMap<>();
    final Map<String, Stage> stages = new LinkedHashMap<>();

    DockerfileTest() {
        Stage current = null;
        for (Instruction instruction : instructions) {
            if (instruction.keyword().equals("FROM")) {
                Matcher from = Pattern.compile("(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE)
                        .matcher(instruction.arguments());
                assertThat(from.matches())
                        .as("FROM on line " + instruction.line())
                        .isTrue();
                current = new Stage(from.group(2), substitute(from.group(1), globalArgs), new ArrayList<>());
                stages.put(from.group(2) == null ? "stage" + stages.size() : from.group(2), current);
            } else if (current == null) {
                assertThat(instruction.keyword())
                        .as("only ARG comes before the first FROM")
                        .isEqualTo("ARG");
                String[] arg = instruction.arguments().split("=", 2);
                globalArgs.put(arg[0], arg.length > 1 ? arg[1] : "");
            } else {
                current.instructions().add(instruction);
            }
        }
    }

    /** Instructions with continuation lines joined; comments and parser directives dropped. */
    static List<Instruction> parse(String text) {
        List<Instruction> parsed = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder pending = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (pending == null && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (pending != null && line.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (pending == null) {
                pending = new StringBuilder();
                start = i + 1;
            }
            boolean continues = line.endsWith("\\");
            pending.append(continues ? line.substring(0, line.length() - 1) : line)
                    .append(' ');
            if (!continues) {
                String instruction = pending.toString().strip();
                int space = instruction.indexOf(' ');
                assertThat(space)
                        .as("instruction without arguments on line " + start)
                        .isPositive();
                parsed.add(new Instruction(
                        start,
                        instruction.substring(0, space).toUpperCase(Locale.ROOT),
                        instruction.substring(space + 1).strip()));
                pending = null;
            }
        }
        assertThat(pending)
                .as("the last instruction ends in a line continuation")
                .isNull();
        return parsed;
    }

    static String substitute(String text, Map<String, String> args) {
        Matcher variable = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(text);
        StringBuilder result = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
            variable.appendReplacement(result, Matcher.quoteReplacement(args.getOrDefault(name, variable.group())));
        }
        return variable.appendTail(result).toString();
    }

    @Test
    void everyInstructionIsADockerInstructionWithWellFormedArguments() {
        JsonMapper json = JsonMapper.builder().build();
        for (Instruction instruction : instructions) {
            assertThat(INSTRUCTIONS)
                    .as("instruction on line " + instruction.line())
                    .contains(instruction.keyword());
            boolean jsonForm = instruction.arguments().startsWith("[");
            if (JSON_FORM.contains(instruction.keyword()) || jsonForm) {
                assertThat(jsonForm)
                        .as(instruction.keyword() + " on line " + instruction.line() + " in JSON form")
                        .isTrue();
                List<?> arguments = json.readValue(instruction.arguments(), List.class);
                assertThat(arguments).isNotEmpty().allMatch(String.class::isInstance);
            }
            if (instruction.keyword().equals("ENV") || instruction.keyword().equals("ARG")) {
                assertThat(instruction.arguments())
                        .as("name=value pairs on line " + instruction.line())
                        .matches("(\\w+(=(\"[^\"]*\"|\\S*))?\\s*)+");
            }
            if (instruction.keyword().equals("HEALTHCHECK")) {
                assertThat(instruction.arguments()).contains("CMD ").contains("/actuator/health/readiness");
            }
        }
    }

    @Test
    void everyImageIsPinnedAndEveryCopiedStageExists() {
        for (Stage stage : stages.values()) {
            assertThat(stage.image()).as("image of stage " + stage.name()).doesNotContain("$");
            assertThat(RepositoryFiles.pinned(stage.image()))
                    .as(stage.image() + " has a pinned tag")
                    .isTrue();
            for (Instruction instruction : stage.instructions()) {
                Matcher from = Pattern.compile("--from=(\\S+)").matcher(instruction.arguments());
                if (from.find()) {
                    assertThat(stages)
                            .as("stage named in line " + instruction.line())
                            .containsKey(from.group(1));
                }
            }
        }
        assertThat(stages).containsKeys("layers", "gpu", "cpu");
        assertThat(List.copyOf(stages.keySet()).get(stages.size() - 1))
                .as("the default target (the last stage)")
                .isEqualTo("cpu");
    }

    @Test
    void theJarIsTheServicesExecJarSplitIntoSpringBootLayers() {
        Stage layers = stages.get("layers");
        String copy = arguments(layers, "COPY").get(0);
        assertThat(copy)
                .isEqualTo("${SERVICE}/target/${SERVICE}-" + System.getProperty("tsr.version", "0.1.0-SNAPSHOT")
                        + "-exec.jar app.jar");
        assertThat(arguments(layers, "RUN"))
                .containsExactly(
                        "java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted");
        for (String target : List.of("cpu", "gpu")) {
            List<String> copied = arguments(stages.get(target), "COPY").stream()
                    .filter(arguments -> arguments.startsWith("--from=layers"))
                    .toList();
            assertThat(copied)
                    .as(target + " copies the layers, least often changed first")
                    .containsExactlyElementsOf(LAYERS.stream()
                            .map(layer -> "--from=layers --chown=tsr:tsr /build/extracted/" + layer + "/ ./")
                            .toList());
            assertThat(arguments(stages.get(target), "ENTRYPOINT"))
                    .containsExactly("[\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        }
        assertThat(RepositoryFiles.read(RepositoryFiles.path(".dockerignore"))).contains("!*/target/*-exec.jar");
    }

    @Test
    void bothTargetsRunAsANonRootUserWithTheDjlCacheAndCheckpointsOnVolumes() {
        for (String target : List.of("cpu", "gpu")) {
            Stage stage = stages.get(target);
            List<String> users = arguments(stage, "USER");
            assertThat(users).as(target + " user").isNotEmpty();
            String user = users.get(users.size() - 1).split(":")[0];
            assertThat(user).isNotIn("0", "root");
            assertThat(arguments(stage, "RUN"))
                    .anySatisfy(run -> assertThat(run).contains("--uid " + user));
            assertThat(arguments(stage, "VOLUME"))
                    .containsExactly("[\"/var/cache/djl\", \"/var/lib/tsr/checkpoints\"]");
            String env = String.join(" ", arguments(stage, "ENV"));
            assertThat(env)
                    .contains("DJL_CACHE_DIR=/var/cache/djl")
                    .contains("TSR_TRAINER_CHECKPOINT_DIR=/var/lib/tsr/checkpoints");
        }
    }

    @Test
    void theGpuTargetPointsDjlAtALibtorchItsJniLibrariesWereBuiltFor() throws IOException {
        String env = String.join(" ", arguments(stages.get("gpu"), "ENV"));
        Matcher version = Pattern.compile("PYTORCH_VERSION=(\\S+)").matcher(env);
        Matcher flavor = Pattern.compile("PYTORCH_FLAVOR=(\\S+)").matcher(env);
        assertThat(version.find() && flavor.find()).as(env).isTrue();
        assertThat(env).contains("PYTORCH_LIBRARY_PATH=/opt/libtorch/lib");

        Properties jni = new Properties();
        try (var in = getClass().getClassLoader().getResourceAsStream("jnilib/pytorch.properties")) {
            jni.load(in);
        }
        assertThat(jni.getProperty("jni_version")).startsWith(version.group(1) + "-");
        assertThat(getClass()
                        .getClassLoader()
                        .getResource("jnilib/linux-x86_64/" + flavor.group(1) + "/libdjl_torch.so"))
                .as("pytorch-jni carries the " + flavor.group(1) + " JNI library")
                .isNotNull();
        String libtorch = String.join(" ", arguments(stages.get("libtorch"), "ARG"));
        assertThat(libtorch).contains(version.group(1) + "%2B" + flavor.group(1));

        String lmEngine = RepositoryFiles.read(RepositoryFiles.path("lm-engine/pom.xml"));
        String gpuProfile = lmEngine.substring(lmEngine.indexOf("<id>gpu</id>"));
        assertThat(gpuProfile).as("-Pgpu leaves the CPU libtorch out").doesNotContain("pytorch-native-cpu");
    }

    static List<String> arguments(Stage stage, String keyword) {
        return stage.instructions().stream()
                .filter(instruction -> instruction.keyword().equals(keyword))
                .map(Instruction::arguments)
                .toList();
    }
}
