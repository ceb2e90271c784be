package org.tsr.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.training.TrainerSettings;
import org.tsr.contract.training.TrainingKind;
import org.tsr.contract.training.TrainingSettings;

/** A trainer deletes and rewrites what job.json tells it to: only inside the job's own folder. */
class JobExportsTest {

    @TempDir
    Path job;

    @Test
    void anExportWritingInsideItsJobFolderReadsBack() throws Exception {
        Path export = Files.createDirectory(job.resolve("export"));
        JobExport written = export(JobExport.EXAMPLES_FILE, job.resolve("model"), job.resolve("checkpoint"));
        JobExports.write(export, written);

        assertThat(JobExports.read(export)).isEqualTo(written);
    }

    @Test
    void anOutputOrCheckpointOutsideTheJobFolderIsRefused() throws Exception {
        Path export = Files.createDirectory(job.resolve("export"));
        JobExports.write(export, export(JobExport.EXAMPLES_FILE, Path.of("/var/lib/tsr/checkpoints/models"), job));

        assertThatThrownBy(() -> JobExports.read(export))
                .isInstanceOf(ExportFormatException.class)
                .hasMessageContaining("must lie in the job's folder");

        JobExports.write(export, export(JobExport.EXAMPLES_FILE, job.resolve("model"), job.resolve("../other")));
        assertThatThrownBy(() -> JobExports.read(export)).isInstanceOf(ExportFormatException.class);
    }

    @Test
    void examplesThatAreNotAFileOfTheExportAreRefused() throws Exception {
        Path export = Files.createDirectory(job.resolve("export"));
        JobExports.write(export, export("../../etc/passwd", job.resolve("model"), job.resolve("checkpoint")));

        assertThatThrownBy(() -> JobExports.read(export))
                .isInstanceOf(ExportFormatException.class)
                .hasMessageContaining("examples must name a file in the export folder");
    }

    private static JobExport export(String examples, Path output, Path checkpoint) {
        return new JobExport(
                JobExport.VERSION,
                1,
                TrainingKind.SFT,
                TrainingSettings.defaults(),
                TrainerSettings.defaults(),
                "/models/base",
                null,
                examples,
                output.toString(),
                checkpoint.toString(),
                null);
    }
}
