package org.tsr.trainer.execution;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What an executor may ask of the work unit it trains for.
 *
 * @param whileHeld runs a side effect only while this worker still holds the unit (publishing the model)
 * @param reattached tells the queue that this attempt found the job's workload already running and only follows
 *     it: the attempt is given back, so following a long job across restarts does not use up the unit's attempts
 * @param cancelled whether the job's run has been cancelled since it started
 */
public record ExecutionContext(Consumer<Runnable> whileHeld, Runnable reattached, BooleanSupplier cancelled) {}
