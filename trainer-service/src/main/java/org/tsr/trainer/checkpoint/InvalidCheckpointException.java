package org.tsr.trainer.checkpoint;

import java.nio.file.Path;

/**
 * A checkpoint folder that must not become a READY generation: a file is missing, unreadable or disagrees with
 * the rest. The message names the file and the problem, so a failed job says what to fix.
 */
public class InvalidCheckpointException extends RuntimeException {

    InvalidCheckpointException(String file, String problem) {
        super(file + ": " + problem);
    }

    InvalidCheckpointException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    private InvalidCheckpointException(String message) {
        super(message);
    }

    static InvalidCheckpointException notACheckpoint(Path folder) {
        return new InvalidCheckpointException("not a checkpoint: neither " + DecoderConfig.FILE_NAME + " nor "
                + AdapterConfig.FILE_NAME + " in " + folder);
    }
}
