package org.tsr.trainer.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;
import org.tsr.engine.checkpoint.CheckpointSeal;
import org.tsr.trainer.TrainerProperties;

/**
 * Checkpoints in a local (or mounted) folder: scratch under {@code jobs/<id>}, published models under
 * {@code models/job-<id>}, registered as file URIs. A published folder is sealed ({@link CheckpointSeal}): checksummed,
 * forced to disk, then renamed into place.
 */
@Component
class LocalCheckpointStorage implements CheckpointStorage {

    private final Path root;

    LocalCheckpointStorage(TrainerProperties properties) {
        this.root = properties.checkpointDir().toAbsolutePath();
    }

    @Override
    public Path workDir(long jobId) {
        Path dir = root.resolve("jobs").resolve(Long.toString(jobId));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the job folder " + dir, e);
        }
    }

    @Override
    public String publish(long jobId, Path modelDir) {
        Path target = root.resolve("models").resolve("job-" + jobId);
        try {
            // checksums written and every file on disk before the rename, so a crash never leaves a torn model
            CheckpointSeal.seal(modelDir);
            Files.createDirectories(target.getParent());
            FileSystemUtils.deleteRecursively(target);
            // the scratch folder is on the same file system: a rename publishes the whole folder at once
            Files.move(modelDir, target, StandardCopyOption.ATOMIC_MOVE);
            CheckpointSeal.forceDirectory(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish the model of job " + jobId + " to " + target, e);
        }
        return target.toUri().toString();
    }

    @Override
    public void release(long jobId) {
        try {
            FileSystemUtils.deleteRecursively(root.resolve("jobs").resolve(Long.toString(jobId)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the scratch files of job " + jobId, e);
        }
    }
}
