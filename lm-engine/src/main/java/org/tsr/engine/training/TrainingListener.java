package org.tsr.engine.training;

/** Told after every optimizer step and after every training checkpoint. */
public interface TrainingListener {

    void onStep(StepMetrics metrics);

    default void onCheckpoint(int step) {}

    TrainingListener NONE = metrics -> {};
}
