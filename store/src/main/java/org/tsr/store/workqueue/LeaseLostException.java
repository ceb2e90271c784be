package org.tsr.store.workqueue;

/**
 * The worker no longer holds the unit: its lease expired and another worker claimed it, or it was failed. The
 * results of the attempt must not be committed.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(ClaimedUnit unit, String state) {
        super("work unit " + unit.id() + " (" + unit.stage() + ") is no longer leased to " + unit.owner()
                + " on attempt " + unit.attempt() + ": " + state);
    }
}
