package org.tsr.trainer.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;
import org.tsr.trainer.export.ExportedExamples;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.JobExports;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.storage.CheckpointStorage;

/**
 * Writes a prepared job where a trainer outside this JVM reads it: {@code export/} in the job's folder on the
 * checkpoints volume, the examples first and {@code job.json} last, so a folder with a job.json is complete.
 */
@Component
public class JobExportWriter {

    public static final String FOLDER = "export";

    private final CheckpointStorage storage;

    JobExportWriter(CheckpointStorage storage) {
        this.storage = storage;
    }

    /** Where the job's export is (or will be) written. */
    public Path folder(long jobId) {
        return storage.workDir(jobId).resolve(FOLDER);
    }

    /** Writes the export and returns its folder. */
    public Path write(PreparedJob job) {
        Path folder = folder(job.jobId());
        try {
            Files.createDirectories(folder);
            Files.deleteIfExists(folder.resolve(JobExport.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the export folder " + folder, e);
        }
        boolean chat = job.export().settings().chatFormat();
        Path examples = folder.resolve(job.export().examples());
        if (job.pairs() != null) {
            ExportedExamples.writePairs(examples, job.pairs(), chat);
        } else {
            ExportedExamples.writeSft(examples, job.sft(), chat);
        }
        JobExports.write(folder, job.export());
        return folder;
    }
}
