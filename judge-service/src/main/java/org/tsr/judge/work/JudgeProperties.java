package org.tsr.judge.work;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param workerThreads JUDGE units this replica works on at once; 0 disables the worker
 * @param idlePoll how long an idle worker waits before asking the queue again
 * @param batchResponses responses per backend call
 */
@ConfigurationProperties("tsr.judge")
public record JudgeProperties(
        @DefaultValue("1") int workerThreads,
        @DefaultValue("500ms") Duration idlePoll,
        @DefaultValue("16") int batchResponses) {}
