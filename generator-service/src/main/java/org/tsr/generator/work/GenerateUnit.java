package org.tsr.generator.work;

import java.util.List;
import org.tsr.inference.SamplingSettings;
import org.tsr.store.response.ResponsePurpose;

/**
 * The payload of a GENERATE work unit: sample {@code sampling.n()} responses to each prompt from one model generation,
 * for one purpose of one iteration ({@code iterationId} may be null for evaluation outside a run).
 *
 * @param chat send each prompt as a user turn through the model's chat format (true) or as raw text (false)
 */
public record GenerateUnit(
        Long iterationId,
        long generationId,
        ResponsePurpose purpose,
        List<Long> promptIds,
        SamplingSettings sampling,
        boolean chat) {}
