package org.tsr.trainer.job;

import java.util.List;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.PreferenceRow;
import org.tsr.trainer.export.SftRow;

/**
 * A training job read from the store and ready for any executor: its export description and its examples as text
 * (the pairs for DPO, with the ids of their rows so reference values computed for them can be stored back).
 */
public record PreparedJob(
        JobExport export, String modelRole, List<PreferenceRow> pairs, List<Long> pairIds, List<SftRow> sft) {

    public long jobId() {
        return export.jobId();
    }

    public int exampleCount() {
        return pairs != null ? pairs.size() : sft.size();
    }
}
