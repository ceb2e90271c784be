package org.tsr.standalone.console;

/** Something the user can fix, told in one line: a port in use, a folder that cannot be written, a bad option. */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
