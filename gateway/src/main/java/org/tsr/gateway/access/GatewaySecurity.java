package org.tsr.gateway.access;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.tsr.edge.BearerToken;
import org.tsr.edge.EdgeSecurity;
import org.tsr.edge.OpenEndpoints;
import org.tsr.edge.ProblemResponses;
import org.tsr.edge.StrictJson;
import org.tsr.store.access.ApiKey;
import org.tsr.store.access.ApiKeyRole;

/**
 * Who may use the gateway: every request needs an active API key as a bearer token, except health, the Prometheus
 * scrape and the API description. Deny by default, so a path spelt another way (case, trailing slash) still needs a
 * key, and the strict firewall refuses the spellings that could be read as another path. Any key may read (GET,
 * HEAD); changing anything, and generating, judging or training through the service routes, needs a READ_WRITE or
 * ADMIN key; managing keys an ADMIN key. With {@code tsr.access.enabled=false} (the command line's local experiments,
 * bound to the loopback interface) nothing needs a key.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@Import(StrictJson.class)
class GatewaySecurity {

    private static final String[] WRITER_ROLES = {ApiKeyRole.ADMIN.name(), ApiKeyRole.READ_WRITE.name()};

    @Bean
    AuthenticationProvider apiKeyAuthentication(ApiKeys keys) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                ApiKey key = keys.find(((BearerToken) authentication).secret())
                        .orElseThrow(() -> new BadCredentialsException("the API key is unknown or revoked"));
                return UsernamePasswordAuthenticationToken.authenticated(
                        key, null, List.of(new SimpleGrantedAuthority("ROLE_" + key.getRole())));
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return BearerToken.class.isAssignableFrom(authentication);
            }
        };
    }

    @Bean
    ProblemResponses problemResponses() {
        return new ProblemResponses(GatewaySecurity::forbiddenDetail);
    }

    @Bean
    WebSecurityCustomizer firewallProblems(ProblemResponses problems) {
        return web -> web.requestRejectedHandler(problems);
    }

    @Bean
    SecurityFilterChain gatewayFilterChain(
            HttpSecurity http,
            AccessProperties access,
            AuthenticationProvider apiKeyAuthentication,
            ProblemResponses problems) {
        EdgeSecurity.bearerTokens(http, apiKeyAuthentication, problems);
        if (!access.enabled()) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .build();
        }
        return http.authorizeHttpRequests(requests -> requests.requestMatchers(OpenEndpoints.PROBES)
                        .permitAll()
                        .requestMatchers(OpenEndpoints.API_DESCRIPTION)
                        .permitAll()
                        .requestMatchers("/api/v1/api-keys", "/api/v1/api-keys/**")
                        .hasRole(ApiKeyRole.ADMIN.name())
                        .requestMatchers(HttpMethod.GET)
                        .authenticated()
                        .requestMatchers(HttpMethod.HEAD)
                        .authenticated()
                        .anyRequest()
                        .hasAnyRole(WRITER_ROLES))
                .build();
    }

    /** The key a request authenticated with, when it has one. */
    static Optional<ApiKey> caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof ApiKey key
                ? Optional.of(key)
                : Optional.empty();
    }

    private static String forbiddenDetail(HttpServletRequest request) {
        String name = caller().map(key -> "API key '" + key.getName() + "'").orElse("this key");
        if (request.getRequestURI().startsWith("/api/v1/api-keys")) {
            return "managing API keys needs an ADMIN key; " + name + " is not one";
        }
        return name + " is read-only";
    }
}
