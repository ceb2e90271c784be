package org.tsr.gateway.generations;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The inference servers a generation may be registered at: the same {@code tsr.inference.remote.allowed-hosts} the
 * generator and judge check before each call, checked here too so that a refused URL never enters the store.
 *
 * @param allowedHosts host names or addresses, or {@code *.domain}; a URL would never match a host
 */
@Validated
@ConfigurationProperties("tsr.inference.remote")
record RemoteInferenceHosts(
        @DefaultValue @NotNull
        List<@Pattern(regexp = "[^/]*", message = "must be a host name or *.domain, not a URL") String> allowedHosts) {}
