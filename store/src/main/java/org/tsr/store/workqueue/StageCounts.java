package org.tsr.store.workqueue;

/** How many units of a stage are in each state. */
public record StageCounts(long pending, long running, long done, long failed) {

    public long total() {
        return pending + running + done + failed;
    }

    /** True when nothing is left to do: every unit is done or failed. */
    public boolean settled() {
        return pending == 0 && running == 0;
    }
}
