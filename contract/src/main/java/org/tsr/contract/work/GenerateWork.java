package org.tsr.contract.work;

import java.util.List;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.contract.sampling.SamplingSettings;

/**
 * The payload of a GENERATE work unit: sample {@code sampling.n()} responses to each prompt from one model generation,
 * for one purpose of one iteration ({@code iterationId} may be null for evaluation outside a run).
 *
 * @param chat send each prompt as a user turn through the model's chat format (true) or as raw text (false)
 */
public record GenerateWork(
        Long iterationId,
        long generationId,
        ResponsePurpose purpose,
        List<Long> promptIds,
        SamplingSettings sampling,
        boolean chat) {}
