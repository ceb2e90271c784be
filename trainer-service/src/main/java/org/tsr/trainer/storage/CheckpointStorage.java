package org.tsr.trainer.storage;

import java.nio.file.Path;

/**
 * Where a job's files live: a local scratch folder for its training checkpoint and the final model while it is
 * written, and the durable place the finished model is published to, named by the URI the lineage records.
 */
public interface CheckpointStorage {

    /** The job's local scratch folder, the same on every attempt so an attempt resumes the last one's checkpoint. */
    Path workDir(long jobId);

    /** Stores the finished Hugging Face model folder {@code modelDir} and returns the URI to register. */
    String publish(long jobId, Path modelDir);

    /** Drops the job's scratch files once its result is registered, or once it failed for good. */
    void release(long jobId);
}
