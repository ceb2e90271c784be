package org.tsr.engine.checkpoint;

import java.nio.file.Path;

/** A checkpoint that cannot be read or written; the message names the file and, where known, the tensor. */
public class CheckpointException extends RuntimeException {

    public CheckpointException(Path file, String message) {
        super(file + ": " + message);
    }

    public CheckpointException(Path file, String tensor, String message) {
        super(file + ": tensor '" + tensor + "': " + message);
    }

    public CheckpointException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
