package org.tsr.contract.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a job trains on, as its dataset JSON names it: the preference pairs of one iteration's dataset (DPO), or
 * the prompts of a prompt set's splits with their reference answers (SFT; IFT and EFT unless told).
 *
 * @param type {@code preference_pairs} or {@code prompts}; inferred from the job's kind when left out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSpec(String type, Long iterationId, String dataset, Long promptSetId, List<String> splits) {

    public static final String PAIRS = "preference_pairs";
    public static final String PROMPTS = "prompts";

    public static DatasetSpec pairs(long iterationId, String dataset) {
        return new DatasetSpec(PAIRS, iterationId, dataset, null, null);
    }

    public static DatasetSpec prompts(long promptSetId, List<String> splits) {
        return new DatasetSpec(PROMPTS, null, null, promptSetId, splits);
    }
}
