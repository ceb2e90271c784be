package org.tsr.pairing.work;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.tsr.pairing.curation.TieBreak;

/**
 * @param tieBreaks how equal scores are ordered when picking the chosen or rejected response
 * @param workerThreads how many PAIR units this replica works on at once; 0 disables the worker
 * @param idlePoll how long an idle worker thread waits before asking the queue again
 */
@ConfigurationProperties("tsr.pairing")
record PairingProperties(
        @DefaultValue({"LOWER_VARIANCE", "SHORTER", "LOWER_SAMPLE_INDEX"})
        List<TieBreak> tieBreaks,

        @DefaultValue("1") int workerThreads,
        @DefaultValue("500ms") Duration idlePoll) {}
