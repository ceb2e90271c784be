package org.tsr.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The secret the gateway presents to the internal services (generator, judge, pairing, trainer), and that they
 * require of every request but health and metrics. A deployment shares it through a Kubernetes Secret or a compose
 * secret ({@code TSR_SERVICE_AUTH_TOKEN}); the standalone platform makes a new one at each start.
 *
 * <p>The token is checked by {@link #requireToken()}, which every service, and the gateway when it routes to one, call
 * at start-up, rather than by a constraint: a startup failure report prints the value a constraint refused, and this
 * one is a secret.
 *
 * @param token the shared secret; a service does not start without one
 */
@Validated
@ConfigurationProperties("tsr.service-auth")
public record ServiceCredential(String token) {

    /** Shortest secret accepted: a guessable token would leave the services open. */
    static final int MIN_LENGTH = 16;

    public ServiceCredential {
        if (token != null) {
            token = token.strip();
        }
    }

    /** The token, refusing to run the platform with none or a short one. */
    public String requireToken() {
        if (token == null || token.length() < MIN_LENGTH) {
            throw new IllegalStateException("tsr.service-auth.token (environment TSR_SERVICE_AUTH_TOKEN) must be set"
                    + " to a secret of at least " + MIN_LENGTH + " characters shared by the gateway and the services");
        }
        return token;
    }

    /** Whether a presented secret is the token, compared in constant time. */
    boolean matches(String presented) {
        return MessageDigest.isEqual(
                requireToken().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The Authorization header value that carries the token. */
    public String authorizationHeader() {
        return "Bearer " + requireToken();
    }
}
