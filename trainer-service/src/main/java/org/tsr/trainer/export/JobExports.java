package org.tsr.trainer.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.databind.json.JsonMapper;

/** Writes and reads an export folder's {@code job.json}. */
public final class JobExports {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JobExports() {}

    /** Writes {@code job.json} whole or not at all: a reader never sees half of it. */
    public static void write(Path folder, JobExport job) {
        try {
            Files.createDirectories(folder);
            Path partial = folder.resolve(JobExport.FILE + ".partial");
            Files.writeString(partial, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
            Files.move(partial, folder.resolve(JobExport.FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job export in " + folder, e);
        }
    }

    public static JobExport read(Path folder) {
        Path file = folder.resolve(JobExport.FILE);
        if (!Files.isRegularFile(file)) {
            throw new ExportFormatException(file + " does not exist: not a job export");
        }
        JobExport job;
        try {
            job = JSON.readValue(file.toFile(), JobExport.class);
        } catch (RuntimeException e) {
            throw new ExportFormatException(file + " cannot be read: " + e.getMessage());
        }
        if (job.version() != JobExport.VERSION) {
            throw new ExportFormatException(
                    file + " is version " + job.version() + "; this trainer reads version " + JobExport.VERSION);
        }
        if (job.kind() == null
                || job.baseModel() == null
                || job.output() == null
                || job.examples() == null
                || job.trainingCheckpoint() == null) {
            throw new ExportFormatException(file + " needs kind, baseModel, examples, output and trainingCheckpoint");
        }
        // a trainer deletes and rewrites what it is told to write: only inside the job's own folder
        Path jobFolder = folder.toAbsolutePath().normalize().getParent();
        if (!job.examples().matches("[A-Za-z0-9._-]+") || job.examples().startsWith(".")) {
            throw new ExportFormatException(
                    file + ": examples must name a file in the export folder, got " + job.examples());
        }
        for (String written : new String[] {job.output(), job.trainingCheckpoint()}) {
            Path path = Path.of(written).toAbsolutePath().normalize();
            if (jobFolder == null || !path.startsWith(jobFolder) || path.equals(jobFolder)) {
                throw new ExportFormatException(file + ": output and trainingCheckpoint must lie in the job's folder "
                        + jobFolder + ", got " + written);
            }
        }
        return job;
    }
}
