package org.tsr.store.access;

public enum ApiKeyRole {
    /** Everything, managing keys included. */
    ADMIN,
    /** Read requests only. */
    READ_ONLY
}
