package org.tsr.trainer.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.trainer.export.ExportedExamples;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.JobExports;
import org.tsr.trainer.export.ProgressEvent;
import org.tsr.trainer.export.ProgressLines;
import org.tsr.trainer.export.SftRow;
import org.tsr.trainer.process.TrainingProcess;
import tools.jackson.databind.json.JsonMapper;

/** The trainer process as the process executor starts it, on this test's own classpath. */
class TrainerProcessLifecycleTest {

    @TempDir
    Path folder;

    @Test
    void aFolderThatIsNotAnExportEndsTheProcessWithStatus2AndSaysWhy() throws Exception {
        Process child = start(List.of(folder.toString()));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(2);
        ProgressEvent event = ProgressLines.parse(output.strip());
        assertThat(event).isInstanceOf(ProgressEvent.Failed.class);
        assertThat(((ProgressEvent.Failed) event).field()).isEqualTo("export");
        assertThat(((ProgressEvent.Failed) event).reason()).contains("job.json does not exist");
    }

    @Test
    void aChildWhoseParentWentAwayStopsInsteadOfTrainingOnAsAnOrphan() throws Exception {
        Path export = Files.createDirectory(folder.resolve("export"));
        ExportedExamples.writeSft(
                export.resolve(JobExport.EXAMPLES_FILE),
                List.of(new SftRow("sort: cba", "abc"), new SftRow("sort: fed", "def")),
                false);
        TrainingSettings forever = JsonMapper.builder()
                .build()
                .readValue(
                        "{\"epochs\": 1000, \"batchSize\": 1, \"chat\": false, \"checkpointEvery\": 0}",
                        TrainingSettings.class);
        JobExports.write(
                export,
                new JobExport(
                        JobExport.VERSION,
                        1,
                        TrainingKind.SFT,
                        forever,
                        TrainerSettings.defaults(),
                        TinyModelFixture.folder().toString(),
                        null,
                        JobExport.EXAMPLES_FILE,
                        folder.resolve("model").toString(),
                        folder.resolve("checkpoint").toString(),
                        null));
        Process child = start(List.of(export.toString(), "--threads", "1", "--exit-with-parent"));
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null && !(ProgressLines.parse(line) instanceof ProgressEvent.Step)) {
            // until it trains
        }
        assertThat(line).as("the child trained a step before its parent went").isNotNull();

        child.getOutputStream().close();

        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(3);
        assertThat(folder.resolve("model")).doesNotExist();
    }

    @Test
    void unknownArgumentsAreRefusedWithTheUsage() throws Exception {
        Process child = start(List.of(folder.toString(), "--gpus", "8"));
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(2);
        assertThat(output).contains("unexpected argument --gpus").contains("usage: TrainingProcess");
    }

    private static Process start(List<String> arguments) throws IOException {
        return new ProcessBuilder(JavaCommand.of(TrainingProcess.class, List.of("-Xmx256m"), arguments))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
