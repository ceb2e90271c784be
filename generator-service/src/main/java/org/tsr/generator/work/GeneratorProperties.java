package org.tsr.generator.work;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param workerThreads GENERATE units this replica works on at once; 0 disables the worker
 * @param idlePoll how long an idle worker waits before asking the queue again
 * @param batchPrompts prompts per backend call; their samples are decoded together
 */
@ConfigurationProperties("tsr.generator")
public record GeneratorProperties(
        @DefaultValue("1") int workerThreads,
        @DefaultValue("500ms") Duration idlePoll,
        @DefaultValue("16") int batchPrompts) {}
