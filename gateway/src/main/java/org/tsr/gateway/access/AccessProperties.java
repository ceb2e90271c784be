package org.tsr.gateway.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * No constraint on the bootstrap key: a startup failure report prints the value a constraint refused, and this one is
 * a secret.
 *
 * @param enabled whether /api/v1 requires an API key; turn it off only where the gateway is not reachable by others
 * @param bootstrapAdminKey an admin key registered at start-up (TSR_ACCESS_BOOTSTRAP_ADMIN_KEY), to create the rest
 */
@Validated
@ConfigurationProperties("tsr.access")
public record AccessProperties(@DefaultValue("true") boolean enabled, String bootstrapAdminKey) {}
