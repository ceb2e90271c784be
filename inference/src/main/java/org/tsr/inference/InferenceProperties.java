package org.tsr.inference;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param device where the embedded engine computes ("cpu", "gpu0")
 * @param intraOpThreads the embedded engine's intra-op threads; 0 keeps the engine's own choice
 * @param maxCachedModelBytes how much weight memory loaded models may hold before the least recently used is closed
 * @param remote settings for OpenAI-compatible servers
 */
@ConfigurationProperties("tsr.inference")
public record InferenceProperties(
        @DefaultValue("cpu") String device,
        @DefaultValue("0") int intraOpThreads,
        @DefaultValue("2147483648") long maxCachedModelBytes,
        @DefaultValue Remote remote) {

    /**
     * @param connectTimeout time to open a connection
     * @param requestTimeout time for one whole request
     * @param maxConcurrentRequests requests in flight per server and process
     * @param maxRetries retries after a 429, a 5xx or an I/O error
     * @param initialBackoff wait before the first retry, doubled each time
     * @param apiKey sent as a bearer token when set, to allowed hosts only
     * @param allowedHosts the servers that may be called (see {@link org.tsr.edge.RemoteHosts}); none by default
     */
    public record Remote(
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("300s") Duration requestTimeout,
            @DefaultValue("8") int maxConcurrentRequests,
            @DefaultValue("4") int maxRetries,
            @DefaultValue("500ms") Duration initialBackoff,
            String apiKey,
            @DefaultValue List<String> allowedHosts) {}
}
