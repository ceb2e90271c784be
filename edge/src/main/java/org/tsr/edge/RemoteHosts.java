package org.tsr.edge;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The hosts an operator allows the platform to call as OpenAI-compatible inference servers
 * ({@code tsr.inference.remote.allowed-hosts}). Empty by default, so a model URL given over the API cannot make the
 * platform call an internal address (cloud metadata, the database, the services themselves) or send the inference
 * API key there. An entry is a host name or address, matched exactly and ignoring case, or {@code *.domain} for any
 * host under that domain.
 */
public final class RemoteHosts {

    private final List<String> allowed;

    private RemoteHosts(List<String> allowed) {
        this.allowed = allowed.stream()
                .map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty())
                .toList();
    }

    public static RemoteHosts of(List<String> allowed) {
        return new RemoteHosts(allowed == null ? List.of() : allowed);
    }

    /** Whether {@code url}'s host is allowed. */
    public boolean allows(URI url) {
        String host = url.getHost();
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        return allowed.stream()
                .anyMatch(entry -> entry.startsWith("*.")
                        ? name.endsWith(entry.substring(1)) && name.length() > entry.length() - 1
                        : name.equals(entry));
    }

    /** Why {@code url} may not be called, or null when it may. */
    public String refusal(URI url) {
        if (allows(url)) {
            return null;
        }
        return "host '" + url.getHost() + "' is not an allowed inference server; an operator adds it to"
                + " tsr.inference.remote.allowed-hosts (allowed now: "
                + (allowed.isEmpty() ? "none" : String.join(", ", allowed)) + ")";
    }
}
