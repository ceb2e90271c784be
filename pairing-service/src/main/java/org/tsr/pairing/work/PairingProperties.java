package org.tsr.pairing.work;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.tsr.pairing.curation.TieBreak;

/**
 * @param tieBreaks how equal scores are ordered when picking the chosen or rejected response; none leaves the
 *     response id alone to order them
 * @param workerThreads how many PAIR units this replica works on at once; 0 disables the worker
 * @param idlePoll how long an idle worker thread waits before asking the queue again
 */
@Validated
@ConfigurationProperties("tsr.pairing")
record PairingProperties(
        @DefaultValue({"LOWER_VARIANCE", "SHORTER", "LOWER_SAMPLE_INDEX"}) @NotNull
        List<@NotNull TieBreak> tieBreaks,

        @DefaultValue("1") @PositiveOrZero int workerThreads,

        @DefaultValue("500ms") @NotNull @DurationMin(inclusive = false)
        Duration idlePoll) {}
