package org.tsr.edge;

import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The filter chain of an internal service (generator, judge, pairing, trainer): every request needs the {@link
 * ServiceCredential}, which only the gateway holds, except health and the Prometheus scrape. A pod that reaches a
 * service directly gets 401.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ServiceCredential.class)
@Import(StrictJson.class)
public class ServiceSecurity {

    static final String ROLE = "SERVICE_CALLER";

    @Bean
    AuthenticationProvider serviceTokenAuthentication(ServiceCredential credential) {
        credential.requireToken();
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                if (!credential.matches(((BearerToken) authentication).secret())) {
                    throw new BadCredentialsException("the service credential is wrong");
                }
                return UsernamePasswordAuthenticationToken.authenticated(
                        "gateway", null, List.of(new SimpleGrantedAuthority("ROLE_" + ROLE)));
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return BearerToken.class.isAssignableFrom(authentication);
            }
        };
    }

    @Bean
    ProblemResponses problemResponses() {
        return new ProblemResponses();
    }

    @Bean
    WebSecurityCustomizer firewallProblems(ProblemResponses problems) {
        return web -> web.requestRejectedHandler(problems);
    }

    @Bean
    SecurityFilterChain serviceFilterChain(
            HttpSecurity http, AuthenticationProvider serviceTokenAuthentication, ProblemResponses problems) {
        return EdgeSecurity.bearerTokens(http, serviceTokenAuthentication, problems)
                .authorizeHttpRequests(requests -> requests.requestMatchers(OpenEndpoints.PROBES)
                        .permitAll()
                        .anyRequest()
                        .hasRole(ROLE))
                .build();
    }
}
