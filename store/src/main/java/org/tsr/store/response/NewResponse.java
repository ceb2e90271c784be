package org.tsr.store.response;

import java.util.Objects;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;

/** A sampled response to be stored; {@code iterationId} is null for responses outside any run. */
public record NewResponse(
        long promptId,
        long generationId,
        Long iterationId,
        ResponsePurpose purpose,
        int sampleIndex,
        String text,
        int tokenCount,
        FinishReason finishReason) {

    public NewResponse {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        if (sampleIndex < 0) {
            throw new IllegalArgumentException("sampleIndex must be >= 0, got " + sampleIndex);
        }
        if (tokenCount < 0) {
            throw new IllegalArgumentException("tokenCount must be >= 0, got " + tokenCount);
        }
    }
}
