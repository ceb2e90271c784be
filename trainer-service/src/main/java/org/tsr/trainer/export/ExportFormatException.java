package org.tsr.trainer.export;

/** An export file that cannot be read as the format says; the message names the file and the line. */
public class ExportFormatException extends RuntimeException {

    public ExportFormatException(String message) {
        super(message);
    }
}
