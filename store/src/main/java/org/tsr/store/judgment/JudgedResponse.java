package org.tsr.store.judgment;

import org.tsr.contract.responses.ResponsePurpose;

/**
 * A response with its score under one judge, as pair curation needs it: {@code meanScore} is null when no judgment
 * was valid (or none was made yet).
 */
public record JudgedResponse(
        long responseId,
        long promptId,
        ResponsePurpose purpose,
        int sampleIndex,
        int tokenCount,
        Double meanScore,
        double scoreVariance,
        int validJudgments) {}
