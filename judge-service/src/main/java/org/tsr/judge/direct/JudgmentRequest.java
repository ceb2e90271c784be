package org.tsr.judge.direct;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.tsr.judge.rubric.JudgeTemplate;

/**
 * Responses to judge now. Left out: 3 samples at temperature 0.7, 256 tokens, seed 0, the default rubric.
 *
 * @param template a judge template with {prompt} and {response} placeholders, replacing the default rubric
 */
public record JudgmentRequest(
        @NotNull Long judgeGenerationId,
        @NotEmpty @Size(max = 256) List<@Valid @NotNull Item> items,
        Integer samples,
        Double temperature,
        Integer maxTokens,
        Long seed,
        @Size(max = JudgeTemplate.MAX_CHARS) String template) {

    public record Item(
            @NotNull @Size(max = 65536) String prompt,
            @NotNull @Size(max = 65536) String response) {}
}
