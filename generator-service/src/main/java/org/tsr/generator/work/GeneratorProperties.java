package org.tsr.generator.work;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param workerThreads GENERATE units this replica works on at once; 0 disables the worker
 * @param idlePoll how long an idle worker waits before asking the queue again
 * @param batchPrompts prompts per backend call; their samples are decoded together
 * @param streamThreads streamed OpenAI-compatible answers decoded at once; as many more wait their turn, and beyond
 *     that a stream is refused with 429
 * @param streamTimeout how long a streamed answer may take before it is cut off
 */
@Validated
@ConfigurationProperties("tsr.generator")
public record GeneratorProperties(
        @DefaultValue("1") @PositiveOrZero int workerThreads,

        @DefaultValue("500ms") @NotNull @DurationMin(inclusive = false)
        Duration idlePoll,

        @DefaultValue("16") @Positive int batchPrompts,

        @DefaultValue("4") @Positive int streamThreads,

        @DefaultValue("10m") @NotNull @DurationMin(inclusive = false)
        Duration streamTimeout) {}
