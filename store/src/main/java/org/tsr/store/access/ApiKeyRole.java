package org.tsr.store.access;

public enum ApiKeyRole {
    /** Everything, managing keys included. */
    ADMIN,
    /** Reads and writes: starting runs, uploading prompts, generating, judging and training; not managing keys. */
    READ_WRITE,
    /** Read requests only. */
    READ_ONLY
}
