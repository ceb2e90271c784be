package org.tsr.trainer.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsr.trainer.storage.CheckpointStorage;

/** Checkpoint storage in a plain folder, publishing by a rename as the trainer's own does. */
record FolderStorage(Path root) implements CheckpointStorage {

    @Override
    public Path workDir(long jobId) {
        try {
            return Files.createDirectories(root.resolve("jobs").resolve(Long.toString(jobId)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String publish(long jobId, Path modelDir) {
        Path target = root.resolve("models").resolve("job-" + jobId);
        try {
            Files.createDirectories(target.getParent());
            Files.move(modelDir, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target.toUri().toString();
    }

    @Override
    public void release(long jobId) {}
}
