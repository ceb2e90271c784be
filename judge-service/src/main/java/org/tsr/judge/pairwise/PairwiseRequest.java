package org.tsr.judge.pairwise;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.tsr.judge.rubric.JudgeTemplate;

/**
 * Pairs to compare now. Left out: temperature 0, 256 tokens, seed 0, the standard pairwise template.
 *
 * @param template a template with {prompt}, {first} and {second} placeholders
 */
public record PairwiseRequest(
        @NotNull Long judgeGenerationId,
        @NotEmpty @Size(max = 256) List<@Valid @NotNull Item> pairs,
        Double temperature,
        Integer maxTokens,
        Long seed,
        @Size(max = JudgeTemplate.MAX_CHARS) String template) {

    public record Item(
            @NotNull @Size(max = 65536) String prompt,
            @NotNull @Size(max = 65536) String first,
            @NotNull @Size(max = 65536) String second) {}
}
