package org.tsr.gateway.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled whether /api/v1 requires an API key; turn it off only where the gateway is not reachable by others
 * @param bootstrapAdminKey an admin key registered at start-up (TSR_ACCESS_BOOTSTRAP_ADMIN_KEY), to create the rest
 */
@ConfigurationProperties("tsr.access")
public record AccessProperties(@DefaultValue("true") boolean enabled, String bootstrapAdminKey) {}
