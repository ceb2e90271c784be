package org.tsr.judge.direct;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Responses to judge now. Left out: 3 samples at temperature 0.7, 256 tokens, seed 0, the default rubric.
 *
 * @param template a judge template with {prompt} and {response} placeholders, replacing the default rubric
 */
public record JudgmentRequest(
        @NotNull Long judgeGenerationId,
        @NotEmpty List<@Valid @NotNull Item> items,
        Integer samples,
        Double temperature,
        Integer maxTokens,
        Long seed,
        String template) {

    public record Item(@NotNull String prompt, @NotNull String response) {}
}
