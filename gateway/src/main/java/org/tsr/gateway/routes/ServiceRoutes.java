package org.tsr.gateway.routes;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.setRequestHeader;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.stripPrefix;
import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;
import org.tsr.edge.ServiceCredential;

/**
 * Routes {@code /api/v1/{generator,judge,pairing,trainer}/**} to each service's own API, without that prefix, so one
 * public address reaches every service. Built from {@link ServiceAddresses}, so a deployment (or the standalone
 * platform) only sets {@code tsr.services.*}. The services require the {@link ServiceCredential}, which the gateway
 * puts in place of the caller's Authorization header once GatewaySecurity has authenticated the caller.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ServiceAddresses.class, ServiceCredential.class})
class ServiceRoutes {

    @Bean
    RouterFunction<ServerResponse> serviceRouterFunction(ServiceAddresses services, ServiceCredential credential) {
        Map<String, URI> addresses = new LinkedHashMap<>();
        addresses.put("generator", services.generator());
        addresses.put("judge", services.judge());
        addresses.put("pairing", services.pairing());
        addresses.put("trainer", services.trainer());
        RouterFunctions.Builder routes = route("services");
        addresses.forEach((service, address) -> {
            if (address != null) {
                // the caller's API key stays here; the service gets the credential only the gateway holds
                routes.add(route(service + "-service")
                        .route(RequestPredicates.path("/api/v1/" + service + "/**"), http())
                        .before(uri(address))
                        .before(stripPrefix(3))
                        .before(setRequestHeader(HttpHeaders.AUTHORIZATION, credential.authorizationHeader()))
                        .build());
            }
        });
        return routes.build();
    }
}
