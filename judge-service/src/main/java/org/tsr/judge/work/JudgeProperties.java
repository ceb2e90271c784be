package org.tsr.judge.work;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param workerThreads JUDGE units this replica works on at once; 0 disables the worker
 * @param idlePoll how long an idle worker waits before asking the queue again
 * @param batchResponses responses per backend call
 */
@Validated
@ConfigurationProperties("tsr.judge")
public record JudgeProperties(
        @DefaultValue("1") @PositiveOrZero int workerThreads,

        @DefaultValue("500ms") @NotNull @DurationMin(inclusive = false)
        Duration idlePoll,

        @DefaultValue("16") @Positive int batchResponses) {}
