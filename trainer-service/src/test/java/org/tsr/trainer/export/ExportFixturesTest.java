package org.tsr.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.trainer.job.JobJson;
import org.tsr.trainer.job.TrlArguments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes job exports as trainer-service writes them for the TRL trainer, into {@code target/export-fixtures/NAME/},
 * and checks them. deploy/trainer's Python tests read the same folders, which the build runs after these tests: the
 * two sides are tested on one export.
 */
class ExportFixturesTest {

    static final Path FIXTURES = Path.of(System.getProperty("basedir", "."), "target", "export-fixtures");

    /** DPO with the chat format, reference values on every pair, an NLL term and LoRA adapters. */
    static final String DPO_CHAT_LORA = "dpo-chat-lora";
    /** DPO on plain text with the defaults; only the first pair has reference values. */
    static final String DPO_PLAIN_PARTIAL_REFERENCE = "dpo-plain-partial-reference";
    /** SFT on plain text with the defaults. */
    static final String SFT_PLAIN = "sft-plain";

    static final List<PreferenceRow> CHAT_PAIRS = List.of(
            new PreferenceRow("sort: cba", "abc", "cab", -3.25, -7.5),
            new PreferenceRow("Résumé in one line: «naïve» café", "A naïve café.", "Café.", -12.0, -4.75),
            new PreferenceRow("line one\nline two", "two lines\n", "\"quoted\"", -1.0E-3, -20.0));
    static final List<PreferenceRow> PLAIN_PAIRS = List.of(
            new PreferenceRow("sort: fed", "def", "efd", -2.5, -6.0),
            new PreferenceRow("sort: qpo", "opq", "pqo", null, null));
    static final List<SftRow> SFT_ROWS =
            List.of(new SftRow("Name a colour.", "Blue."), new SftRow("Count to three.", "1, 2, 3"));

    static final String DPO_CHAT_LORA_SETTINGS = "{\"rpoAlpha\":0.5,\"maxLength\":512,\"checkpointEvery\":5,"
            + "\"lora\":{\"rank\":4,\"alpha\":8,\"dropout\":0.1,\"targetModules\":[\"q_proj\",\"k_proj\",\"v_proj\"]}}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The exports as written, by fixture name. */
    private static final Map<String, JobExport> WRITTEN = new LinkedHashMap<>();

    @BeforeAll
    static void writeFixtures() throws IOException {
        deleteRecursively(FIXTURES);
        TrainingSettings chatLora = settings(DPO_CHAT_LORA_SETTINGS, TrainingKind.DPO);
        write(DPO_CHAT_LORA, TrainingKind.DPO, chatLora, file -> ExportedExamples.writePairs(file, CHAT_PAIRS, true));
        TrainingSettings plainDpo = settings("{\"chat\":false}", TrainingKind.DPO);
        write(
                DPO_PLAIN_PARTIAL_REFERENCE,
                TrainingKind.DPO,
                plainDpo,
                file -> ExportedExamples.writePairs(file, PLAIN_PAIRS, false));
        TrainingSettings plainSft = settings("{\"chat\":false}", TrainingKind.SFT);
        write(SFT_PLAIN, TrainingKind.SFT, plainSft, file -> ExportedExamples.writeSft(file, SFT_ROWS, false));
    }

    @Test
    void theJobReadsBackAsWrittenWithItsTrlArguments() {
        assertThat(WRITTEN).hasSize(3);
        WRITTEN.forEach((name, written) -> {
            JobExport read = JobExports.read(FIXTURES.resolve(name));

            assertThat(read.jobId()).isEqualTo(written.jobId());
            assertThat(read.kind()).isEqualTo(written.kind());
            assertThat(read.settings()).isEqualTo(written.settings());
            assertThat(read.trainer()).isEqualTo(written.trainer());
            assertThat(read.baseModel()).isEqualTo(written.baseModel());
            assertThat(read.referenceModel()).isEqualTo(written.referenceModel());
            assertThat(read.output()).isEqualTo(written.output());
            assertThat(read.trainingCheckpoint()).isEqualTo(written.trainingCheckpoint());
            // JSON reads 42L back as an int: compare as written text
            assertThat(JSON.writeValueAsString(read.trl())).isEqualTo(JSON.writeValueAsString(written.trl()));
        });
    }

    @Test
    void theDpoExportCarriesTheRunsSettingsAsTrlArguments() {
        Map<String, Object> trl =
                JobExports.read(FIXTURES.resolve(DPO_CHAT_LORA)).trl();

        assertThat(trl)
                .containsEntry("learning_rate", 1e-6)
                .containsEntry("lr_scheduler_type", "polynomial")
                .containsEntry("beta", 0.1)
                .containsEntry("loss_type", List.of("sigmoid", "sft"))
                .containsEntry("loss_weights", List.of(1.0, 0.5))
                .containsEntry("max_length", 512)
                .containsEntry("save_steps", 5)
                .containsEntry("disable_dropout", false)
                .containsEntry(
                        "peft",
                        Map.of(
                                "r",
                                4,
                                "lora_alpha",
                                8.0,
                                "lora_dropout",
                                0.1,
                                "target_modules",
                                List.of("q_proj", "k_proj", "v_proj")));
        assertThat(JobExports.read(FIXTURES.resolve(SFT_PLAIN)).trl())
                .containsEntry("num_train_epochs", 3)
                .containsEntry("completion_only_loss", true)
                .doesNotContainKeys("beta", "peft");
    }

    @Test
    void chatPairsAreConversationalRowsWithTheirReferenceValues() throws IOException {
        Path examples = FIXTURES.resolve(DPO_CHAT_LORA).resolve(JobExport.EXAMPLES_FILE);
        JsonNode first = JSON.readTree(
                Files.readAllLines(examples, StandardCharsets.UTF_8).get(0));

        assertThat(first.get("prompt").isArray()).isTrue();
        assertThat(first.get("prompt").get(0).get("role").asString()).isEqualTo("user");
        assertThat(first.get("prompt").get(0).get("content").asString()).isEqualTo("sort: cba");
        assertThat(first.get("chosen").size()).isEqualTo(1);
        assertThat(first.get("chosen").get(0).get("role").asString()).isEqualTo("assistant");
        assertThat(first.get("rejected").get(0).get("content").asString()).isEqualTo("cab");
        assertThat(first.get("ref_chosen_logps").asDouble()).isEqualTo(-3.25);
        assertThat(ExportedExamples.readPairs(examples)).isEqualTo(CHAT_PAIRS);
    }

    @Test
    void plainRowsAreStringsAndAPairWithoutReferenceValuesHasNoReferenceColumns() throws IOException {
        Path pairs = FIXTURES.resolve(DPO_PLAIN_PARTIAL_REFERENCE).resolve(JobExport.EXAMPLES_FILE);
        List<String> lines = Files.readAllLines(pairs, StandardCharsets.UTF_8);

        assertThat(JSON.readTree(lines.get(0)).get("prompt").isString()).isTrue();
        assertThat(JSON.readTree(lines.get(1)).has("ref_chosen_logps")).isFalse();
        assertThat(ExportedExamples.readPairs(pairs)).isEqualTo(PLAIN_PAIRS);

        Path sft = FIXTURES.resolve(SFT_PLAIN).resolve(JobExport.EXAMPLES_FILE);
        JsonNode row =
                JSON.readTree(Files.readAllLines(sft, StandardCharsets.UTF_8).get(0));
        assertThat(row.get("prompt").asString()).isEqualTo("Name a colour.");
        assertThat(row.get("completion").asString()).isEqualTo("Blue.");
        assertThat(ExportedExamples.readSft(sft)).isEqualTo(SFT_ROWS);
    }

    @Test
    void aSettingTrlCannotTrainIsRefusedBeforeAnExportIsWritten() {
        TrainingSettings smoothed = settings("{\"labelSmoothing\":0.1}", TrainingKind.DPO);

        assertThatThrownBy(() -> TrlArguments.of(TrainingKind.DPO, smoothed))
                .isInstanceOfSatisfying(
                        InvalidTrainingOptionException.class,
                        e -> assertThat(e.field()).isEqualTo("labelSmoothing"));
    }

    /** Writes a fixture as {@code JobExportWriter} does: the examples first, job.json last. */
    private static void write(String name, TrainingKind kind, TrainingSettings settings, Consumer<Path> examples)
            throws IOException {
        Path folder = Files.createDirectories(FIXTURES.resolve(name));
        examples.accept(folder.resolve(JobExport.EXAMPLES_FILE));
        JobExport export = export(folder, kind, settings);
        JobExports.write(folder, export);
        WRITTEN.put(name, export);
    }

    /** The job as trainer-service exports it for the kubeflow executor, with paths inside the fixture's folder. */
    private static JobExport export(Path folder, TrainingKind kind, TrainingSettings settings) {
        Path absolute = folder.toAbsolutePath();
        String base = absolute.resolve("base").toString();
        return new JobExport(
                JobExport.VERSION,
                kind == TrainingKind.DPO ? 7 : 8,
                kind,
                settings,
                new TrainerSettings(TrainingExecutor.KUBEFLOW, 1, 1, "registry.example/tsr-trl:1"),
                base,
                kind == TrainingKind.DPO ? base : null,
                JobExport.EXAMPLES_FILE,
                absolute.resolve("model").toString(),
                absolute.resolve("checkpoint").toString(),
                TrlArguments.of(kind, settings));
    }

    private static TrainingSettings settings(String json, TrainingKind kind) {
        return JobJson.settings(json, kind);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
