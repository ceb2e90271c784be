package org.tsr.standalone.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.tsr.gateway.access.ApiKeys;
import org.tsr.standalone.Platform;
import org.tsr.standalone.Platform.Service;
import org.tsr.standalone.console.UserError;
import org.tsr.standalone.local.LocalDatabase;
import org.tsr.standalone.local.LocalPlatform;
import org.tsr.store.access.ApiKeyRole;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsr serve}: the whole platform on this machine, with authentication on, until Ctrl-C or SIGTERM. The gateway
 * and the four services listen on 127.0.0.1 only; the database and checkpoints live under {@code --data} and survive
 * restarts.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Start the platform on this machine with API keys required: an embedded PostgreSQL whose data lives in"
                    + " --data (unless --db-url is given), the gateway on --port and the generator, judge, pairing"
                    + " and trainer services on the four ports after it, all on 127.0.0.1. Stops on Ctrl-C.",
            "The first start creates an admin key and prints it once; keep it."
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    PlatformOptions platformOptions;

    @Option(
            names = "--data",
            defaultValue = "tsr-data",
            description = "Folder for the embedded database, checkpoints and the log, kept between starts (default:"
                    + " ${DEFAULT-VALUE}).")
    Path data;

    @Option(
            names = "--targets-file",
            description = "Also write the services' addresses there as a Prometheus file_sd target list (see"
                    + " deploy/prometheus/standalone.yml).")
    Path targetsFile;

    @Option(
            names = "--set",
            paramLabel = "NAME=VALUE",
            description = "A setting every service gets, e.g. --set tsr.observability.refresh=2s (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        platformOptions.check();
        LocalPlatform.preflight(data, platformOptions.port);

        LocalDatabase database = LocalDatabase.openKept(
                platformOptions.dbUrl, platformOptions.dbUser, platformOptions.dbPassword, data.resolve("postgres"));
        Platform platform;
        try {
            platform = Platform.start(
                    database.url(),
                    database.user(),
                    database.password(),
                    settings(),
                    LocalPlatform.ports(platformOptions.port));
        } catch (RuntimeException e) {
            database.close();
            throw new UserError(
                    "the platform did not start: " + e.getMessage() + " (log: "
                            + data.resolve("platform.log").toAbsolutePath() + ")",
                    e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                platform.close();
                            } finally {
                                database.close();
                                stopped.countDown();
                            }
                        },
                        "tsr-serve-shutdown"));

        String gateway = "http://127.0.0.1:" + platform.port(Service.GATEWAY);
        out.println("gateway: " + gateway);
        ApiKeys keys = platform.bean(Service.GATEWAY, ApiKeys.class);
        if (keys.hasActiveAdmin()) {
            out.println("admin-key: created before and not shown again; with it, create another:");
            out.println("  curl -H 'Authorization: Bearer <admin key>' -H 'Content-Type: application/json' \\");
            out.println("       -d '{\"name\": \"me\", \"role\": \"ADMIN\"}' " + gateway + "/api/v1/api-keys");
        } else {
            out.println("admin-key: " + keys.issue("admin", ApiKeyRole.ADMIN).key());
        }
        for (Service service : Service.values()) {
            if (service != Service.GATEWAY) {
                out.printf(
                        Locale.ROOT,
                        "%s: http://127.0.0.1:%d (needs the gateway's service credential)%n",
                        service.applicationName(),
                        platform.port(service));
            }
        }
        out.println(
                "database: " + (database.embedded() ? data.resolve("postgres").toAbsolutePath() : database.url()));
        out.println("log: " + data.resolve("platform.log").toAbsolutePath());
        out.println("Ctrl-C stops it.");
        out.flush();
        if (targetsFile != null) {
            TargetsFile.write(platform, targetsFile);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Checkpoints and the log under --data, then the user's own settings. */
    private Map<String, String> settings() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(
                "tsr.trainer.checkpoint-dir",
                data.resolve("checkpoints").toAbsolutePath().toString());
        all.put(
                "logging.file.name",
                data.resolve("platform.log").toAbsolutePath().toString());
        all.put("logging.threshold.console", "OFF");
        // one shutdown hook (below) stops the services, then the database, in that order
        all.put("spring.main.register-shutdown-hook", "false");
        all.putAll(settings);
        return all;
    }
}
