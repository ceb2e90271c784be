package org.tsr.gateway.routes;

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
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Routes {@code /api/v1/{generator,judge,pairing,trainer}/**} to each service's own API, without that prefix, so one
 * public address reaches every service. Built from {@link ServiceAddresses}, so a deployment (or the standalone
 * platform) only sets {@code tsr.services.*}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceAddresses.class)
class ServiceRoutes {

    @Bean
    RouterFunction<ServerResponse> serviceRouterFunction(ServiceAddresses services) {
        Map<String, URI> addresses = new LinkedHashMap<>();
        addresses.put("generator", services.generator());
        addresses.put("judge", services.judge());
        addresses.put("pairing", services.pairing());
        addresses.put("trainer", services.trainer());
        RouterFunctions.Builder routes = route("services");
        addresses.forEach((service, address) -> {
            if (address != null) {
                routes.add(route(service + "-service")
                        .route(RequestPredicates.path("/api/v1/" + service + "/**"), http())
                        .before(uri(address))
                        .before(stripPrefix(3))
                        .build());
            }
        });
        return routes.build();
    }
}
