package org.tsr.standalone;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.tsr.gateway.GatewayApplication;
import org.tsr.generator.GeneratorServiceApplication;
import org.tsr.judge.JudgeServiceApplication;
import org.tsr.pairing.PairingServiceApplication;
import org.tsr.trainer.TrainerServiceApplication;

/**
 * The five services started in one JVM, each as its own Spring application with its own port, REST API and worker,
 * all on one store. The services' own {@code application.yaml} files share a name on this classpath, so none of them
 * is read: each service gets its name, port and settings from here.
 */
public final class Platform implements AutoCloseable {

    /** The services in start order: the gateway last, so that it conducts runs once the workers are up. */
    public enum Service {
        GENERATOR("generator-service", GeneratorServiceApplication.class),
        JUDGE("judge-service", JudgeServiceApplication.class),
        PAIRING("pairing-service", PairingServiceApplication.class),
        TRAINER("trainer-service", TrainerServiceApplication.class),
        GATEWAY("gateway", GatewayApplication.class);

        private final String applicationName;
        private final Class<?> application;

        Service(String applicationName, Class<?> application) {
            this.applicationName = applicationName;
            this.application = application;
        }

        public String applicationName() {
            return applicationName;
        }

        /** The Spring Boot application class, whose {@code main} starts the service in a process of its own. */
        public Class<?> application() {
            return application;
        }

        /** The path segment the gateway routes to this service: /api/v1/generator/** and so on. */
        String routeName() {
            return applicationName.replace("-service", "");
        }
    }

    private final Map<Service, ConfigurableApplicationContext> contexts;
    private final Map<Service, String[]> arguments;
    private final String serviceToken;

    private Platform(
            Map<Service, ConfigurableApplicationContext> contexts,
            Map<Service, String[]> arguments,
            String serviceToken) {
        this.contexts = contexts;
        this.arguments = arguments;
        this.serviceToken = serviceToken;
    }

    /**
     * Starts every service against the database, each on a free port.
     *
     * @param settings properties every service gets (worker threads, checkpoint folder, ...), as name=value
     */
    public static Platform start(String jdbcUrl, String user, String password, Map<String, String> settings) {
        return start(jdbcUrl, user, password, settings, Map.of());
    }

    /**
     * Starts every service against the database. The gateway routes {@code /api/v1/{service}/**} to the services'
     * ports as they came up.
     *
     * @param settings properties every service gets (worker threads, checkpoint folder, ...), as name=value
     * @param ports the port of each service; a service left out gets a free one
     */
    public static Platform start(
            String jdbcUrl, String user, String password, Map<String, String> settings, Map<Service, Integer> ports) {
        Map<Service, ConfigurableApplicationContext> started = new LinkedHashMap<>();
        Map<Service, String[]> argumentsByService = new LinkedHashMap<>();
        // the gateway presents it to the services; a new one each start, since nothing outside this JVM needs it
        String serviceToken = newServiceToken();
        Database database = new Database(jdbcUrl, user, password);
        try {
            for (Service service : Service.values()) {
                Map<Service, Integer> routes = new LinkedHashMap<>();
                started.forEach((routed, context) -> routes.put(routed, port(context)));
                List<String> arguments =
                        arguments(service, database, serviceToken, ports.getOrDefault(service, 0), settings, routes);
                argumentsByService.put(service, arguments.toArray(String[]::new));
                started.put(service, run(service, argumentsByService.get(service)));
            }
        } catch (RuntimeException e) {
            started.values().forEach(ConfigurableApplicationContext::close);
            throw e;
        }
        return new Platform(started, argumentsByService, serviceToken);
    }

    /** The store every service works on. */
    public record Database(String jdbcUrl, String user, String password) {}

    /**
     * The arguments that start one service as the platform starts it, in this JVM or in a process of its own (its
     * application class's {@code main}).
     *
     * @param port its HTTP port; 0 for a free one
     * @param settings properties every service gets, as name=value
     * @param routes for the gateway: the port of each stage service it routes {@code /api/v1/{service}/**} to
     */
    public static List<String> arguments(
            Service service,
            Database database,
            String serviceToken,
            int port,
            Map<String, String> settings,
            Map<Service, Integer> routes) {
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.config.location=optional:classpath:/tsr-standalone/",
                "--spring.application.name=" + service.applicationName,
                "--server.port=" + port,
                "--tsr.service-auth.token=" + serviceToken,
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--spring.main.banner-mode=off"));
        if (service == Service.GATEWAY) {
            routes.forEach((routed, routedPort) ->
                    arguments.add("--tsr.services." + routed.routeName() + "=http://127.0.0.1:" + routedPort));
        }
        if (!settings.containsKey("server.address")) {
            // reachable from this machine only, unless the settings say otherwise
            arguments.add("--server.address=127.0.0.1");
        }
        settings.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    /** A secret for the gateway to present to the services, new at each start. */
    public static String newServiceToken() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext run(Service service, String[] arguments) {
        return new SpringApplicationBuilder(service.application).run(arguments);
    }

    /**
     * Stops one service and starts it again with the same settings and port: what a crashed replica that its
     * orchestrator brings back looks like to the rest of the platform.
     */
    public synchronized void restart(Service service) {
        stop(service);
        start(service);
    }

    /** Stops one service; its units wait in the queue until it is started again. */
    public synchronized void stop(Service service) {
        ConfigurableApplicationContext context = contexts.get(service);
        if (context != null) {
            // it comes back on the same port, where the gateway's route still points
            int port = port(service);
            String[] again = arguments.get(service).clone();
            for (int i = 0; i < again.length; i++) {
                if (again[i].startsWith("--server.port=")) {
                    again[i] = "--server.port=" + port;
                }
            }
            arguments.put(service, again);
            contexts.remove(service);
            context.close();
        }
    }

    /** Starts a stopped service again with the settings it had, on the port it had. */
    public synchronized void start(Service service) {
        if (contexts.containsKey(service)) {
            throw new IllegalStateException(service + " is running");
        }
        contexts.put(service, run(service, arguments.get(service)));
    }

    /** The port a service listens on. */
    public synchronized int port(Service service) {
        return port(contexts.get(service));
    }

    /** The credential the stage services answer, for tools on this machine that call them directly. */
    public String serviceToken() {
        return serviceToken;
    }

    /** A bean of a service's application context, for tools that work below the REST API. */
    public <T> T bean(Service service, Class<T> type) {
        return contexts.get(service).getBean(type);
    }

    /** Stops the services, the gateway first so that it creates no more work. */
    @Override
    public void close() {
        List<ConfigurableApplicationContext> reversed = new ArrayList<>(contexts.values());
        java.util.Collections.reverse(reversed);
        reversed.forEach(ConfigurableApplicationContext::close);
    }
}
