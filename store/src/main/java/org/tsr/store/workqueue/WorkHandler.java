package org.tsr.store.workqueue;

/**
 * Does the work of one claimed unit. The slow part (sampling, judging, training) runs in {@link #process}, outside any
 * transaction; the returned writer stores the results and runs in the same transaction that completes the unit.
 * Throwing fails the attempt; throwing {@link PermanentWorkFailure} fails the unit for good.
 */
@FunctionalInterface
public interface WorkHandler {

    Runnable process(ClaimedUnit unit) throws Exception;
}
