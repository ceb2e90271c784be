package org.tsr.standalone.local;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.standalone.Platform;
import org.tsr.standalone.Platform.Service;
import org.tsr.standalone.console.ProgressView;

/**
 * How the command line starts the platform on this machine: the checks before anything starts, one port per service,
 * and for the experiments local settings with the log in a file.
 */
public final class LocalPlatform {

    private LocalPlatform() {}

    /** Checks the output folder and the ports before anything starts, and keeps DJL offline. */
    public static void preflight(Path folder, int gatewayPort) {
        Preflight.outputFolder(folder);
        Preflight.portsFree(gatewayPort);
        System.setProperty("ai.djl.offline", "true");
    }

    /** A command's database and its five services, closed together. */
    public record Running(LocalDatabase database, Platform platform, GatewayClient api) implements AutoCloseable {

        @Override
        public void close() {
            try {
                platform.close();
            } finally {
                database.close();
            }
        }
    }

    /**
     * Opens the database (the one at {@code dbUrl}, else an embedded one) and starts the services on it, telling
     * {@code out} where everything is and how long the start took since {@code started}.
     */
    public static Running start(
            Path folder,
            int gatewayPort,
            String dbUrl,
            String dbUser,
            String dbPassword,
            PrintWriter out,
            Instant started) {
        return start(folder, gatewayPort, dbUrl, dbUser, dbPassword, TrainingExecutor.EMBEDDED, out, started);
    }

    /** As {@link #start(Path, int, String, String, String, PrintWriter, Instant)}, training on {@code trainer}. */
    public static Running start(
            Path folder,
            int gatewayPort,
            String dbUrl,
            String dbUser,
            String dbPassword,
            TrainingExecutor trainer,
            PrintWriter out,
            Instant started) {
        LocalDatabase database = LocalDatabase.open(dbUrl, dbUser, dbPassword);
        try {
            out.println("Database: " + (database.embedded() ? "embedded PostgreSQL" : database.url()));
            out.println("Starting the five services (gateway on port " + gatewayPort + ", log in "
                    + folder.resolve("platform.log") + ") ...");
            Map<String, String> settings = settings(folder);
            settings.put("tsr.trainer.executor", trainer.id());
            out.println("Training executor: " + trainer
                    + (trainer == TrainingExecutor.PROCESS ? " (each training job in a child process)" : ""));
            Platform platform =
                    Platform.start(database.url(), database.user(), database.password(), settings, ports(gatewayPort));
            out.println("Services up after " + ProgressView.clock(Duration.between(started, Instant.now())));
            return new Running(database, platform, new GatewayClient(gatewayPort));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** API keys off, short polling intervals, checkpoints and the log under the output folder. */
    static Map<String, String> settings(Path folder) {
        Map<String, String> platform = new LinkedHashMap<>();
        platform.put("tsr.access.enabled", "false");
        platform.put("tsr.orchestration.tick", "200ms");
        for (String service : List.of("generator", "judge", "pairing", "trainer")) {
            platform.put("tsr." + service + ".idle-poll", "100ms");
        }
        platform.put("tsr.trainer.checkpoint-dir", folder.resolve("checkpoints").toString());
        // the experiment's database goes away with it: on Ctrl-C there is no unit worth finishing
        platform.put("tsr.work-queue.shutdown-grace", "2s");
        platform.put("logging.file.name", folder.resolve("platform.log").toString());
        platform.put("logging.threshold.console", "OFF");
        return platform;
    }

    /** The gateway on {@code gatewayPort}, the stage services on the four after it. */
    public static Map<Service, Integer> ports(int gatewayPort) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, Preflight.port(gatewayPort, service));
        }
        return ports;
    }
}
