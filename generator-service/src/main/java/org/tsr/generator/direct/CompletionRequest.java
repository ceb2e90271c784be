package org.tsr.generator.direct;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A few prompts to answer synchronously.
 *
 * @param chat send each prompt as a user turn through the model's chat format (default) or as raw text
 */
public record CompletionRequest(
        @NotNull Long generationId,
        @NotEmpty @Size(max = 256) List<@NotNull @Size(max = 65536) String> prompts,
        Boolean chat,
        @Valid SamplingRequest sampling) {}
