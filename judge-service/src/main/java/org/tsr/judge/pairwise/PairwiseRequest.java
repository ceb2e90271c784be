package org.tsr.judge.pairwise;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Pairs to compare now. Left out: temperature 0, 256 tokens, seed 0, the standard pairwise template.
 *
 * @param template a template with {prompt}, {first} and {second} placeholders
 */
public record PairwiseRequest(
        @NotNull Long judgeGenerationId,
        @NotEmpty List<@Valid @NotNull Item> pairs,
        Double temperature,
        Integer maxTokens,
        Long seed,
        String template) {

    public record Item(
            @NotNull String prompt,
            @NotNull String first,
            @NotNull String second) {}
}
