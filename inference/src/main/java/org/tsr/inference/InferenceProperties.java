package org.tsr.inference;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.tsr.engine.EngineOptions;

/**
 * @param device where the embedded engine computes ("cpu", "gpu0")
 * @param intraOpThreads the embedded engine's intra-op threads; 0 keeps the engine's own choice
 * @param maxCachedModelBytes how much weight memory loaded models may hold before the least recently used is closed;
 *     0 keeps only the model in use
 * @param precision what embedded models multiply in: FLOAT32, or BFLOAT16 (bfloat16 copies of the projection and head
 *     weights beside the float32 ones; faster on CPUs and GPUs with bfloat16 units, logits within bfloat16 rounding)
 * @param remote settings for OpenAI-compatible servers
 */
@Validated
@ConfigurationProperties("tsr.inference")
public record InferenceProperties(
        @DefaultValue("cpu") @NotBlank String device,
        @DefaultValue("0") @PositiveOrZero int intraOpThreads,
        @DefaultValue("2147483648") @PositiveOrZero long maxCachedModelBytes,
        @DefaultValue("FLOAT32") @NotNull EngineOptions.Precision precision,
        @DefaultValue @NotNull @Valid Remote remote) {

    /**
     * @param connectTimeout time to open a connection
     * @param requestTimeout time for one whole request
     * @param maxConcurrentRequests requests in flight per server and process
     * @param maxRetries retries after a 429, a 5xx or an I/O error
     * @param initialBackoff wait before the first retry, doubled each time
     * @param apiKey sent as a bearer token when set, to allowed hosts only
     * @param allowedHosts the servers that may be called (see {@link org.tsr.edge.RemoteHosts}); none by default; an
     *     entry is a host name or address, or {@code *.domain}, never a URL
     */
    public record Remote(
            @DefaultValue("5s") @NotNull @DurationMin(inclusive = false)
            Duration connectTimeout,

            @DefaultValue("300s") @NotNull @DurationMin(inclusive = false)
            Duration requestTimeout,

            @DefaultValue("8") @Positive int maxConcurrentRequests,
            @DefaultValue("4") @PositiveOrZero int maxRetries,

            @DefaultValue("500ms") @NotNull @DurationMin(inclusive = false)
            Duration initialBackoff,

            String apiKey,

            @DefaultValue @NotNull
            List<@Pattern(regexp = "[^/]*", message = "must be a host name or *.domain, not a URL") String>
                    allowedHosts) {}
}
