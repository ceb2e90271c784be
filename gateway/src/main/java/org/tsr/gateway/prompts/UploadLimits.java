package org.tsr.gateway.prompts;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much one prompt-set upload may hold, so that no upload can exhaust the gateway's memory or the store.
 *
 * @param maxSize the body's size at most (413 beyond it)
 * @param maxLines lines at most, blank ones included
 * @param maxFieldChars characters at most in one line's prompt, reference or family
 */
@Validated
@ConfigurationProperties("tsr.uploads")
record UploadLimits(
        @DefaultValue("64MB") DataSize maxSize,
        @DefaultValue("200000") @Positive int maxLines,
        @DefaultValue("65536") @Positive int maxFieldChars) {

    UploadLimits {
        if (maxSize == null || maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("tsr.uploads.max-size must be positive, got " + maxSize);
        }
    }
}
