package org.tsr.edge;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * The secret a request presented as {@code Authorization: Bearer <secret>}, not yet checked. An {@link
 * org.springframework.security.authentication.AuthenticationProvider} turns it into an authenticated caller or refuses
 * it.
 */
public final class BearerToken extends AbstractAuthenticationToken {

    private static final String SCHEME = "Bearer ";

    private final String secret;

    public BearerToken(String secret) {
        super(List.of());
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }

    @Override
    public Object getCredentials() {
        return secret;
    }

    @Override
    public Object getPrincipal() {
        return null;
    }

    /**
     * Reads the bearer token of a request; a request without an Authorization header goes on unauthenticated (open
     * endpoints answer it, the rest 401), one with another scheme or an empty token too.
     */
    public static AuthenticationConverter converter() {
        return (HttpServletRequest request) -> {
            String header = request.getHeader(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
                return null;
            }
            String secret = header.substring(SCHEME.length()).strip();
            return secret.isEmpty() ? null : new BearerToken(secret);
        };
    }
}
