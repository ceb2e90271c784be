package org.tsr.edge;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * The part of a filter chain the gateway and the services share: stateless bearer-token authentication with
 * problem-details refusals, nothing that needs a browser (no sessions, CSRF tokens, login forms or basic auth).
 * Spring Security's strict HTTP firewall stays on, so path variants (matrix parameters, encoded characters that
 * change the path, doubled slashes, dot segments) are refused before any matcher reads them.
 */
public final class EdgeSecurity {

    private EdgeSecurity() {}

    public static HttpSecurity bearerTokens(
            HttpSecurity http, AuthenticationProvider provider, ProblemResponses problems) {
        AuthenticationFilter authentication =
                new AuthenticationFilter(new ProviderManager(provider), BearerToken.converter());
        authentication.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        // a token is checked on every request; nothing to redirect to
        authentication.setSuccessHandler((request, response, caller) -> {});
        return http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(
                        refusals -> refusals.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterBefore(authentication, AuthorizationFilter.class);
    }
}
