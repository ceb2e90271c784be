package org.tsr.gateway.generations;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inference servers a generation may be registered at: the same {@code tsr.inference.remote.allowed-hosts} the
 * generator and judge check before each call, checked here too so that a refused URL never enters the store.
 */
@ConfigurationProperties("tsr.inference.remote")
record RemoteInferenceHosts(@DefaultValue List<String> allowedHosts) {}
