package org.tsr.contract.work;

import org.tsr.contract.pairs.PairDataset;

/**
 * The payload of a PAIR work unit: curate one dataset of one iteration, with the scores given by one judge (in SR and
 * TSR the iteration's current model, for the anchor and future responses too).
 */
public record PairWork(
        long iterationId, PairDataset dataset, long judgeGenerationId, Long policyGenerationId, Boolean chat) {

    /** The model whose hidden states compare chosen and rejected: the iteration's policy, else the judge. */
    public long representationGenerationId() {
        return policyGenerationId == null ? judgeGenerationId : policyGenerationId;
    }

    /** Whether the responses were sampled through the chat format; true unless the payload says otherwise. */
    public boolean chatFormat() {
        return chat == null || chat;
    }
}
