package org.tsr.inference.remote;

/** An OpenAI-compatible server could not be reached, refused the request, or answered something unreadable. */
public class RemoteServerException extends RuntimeException {

    private final boolean retryable;

    RemoteServerException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** True for failures worth another try: refused connections, timeouts, 429 and 5xx answers. */
    public boolean isRetryable() {
        return retryable;
    }
}
