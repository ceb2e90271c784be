package org.tsr.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tsr.standalone.Platform.Service;

/**
 * Runs the five services in one JVM until the process is stopped, each on a free loopback port, against the store
 * named by {@code SPRING_DATASOURCE_URL}, {@code SPRING_DATASOURCE_USERNAME} and {@code SPRING_DATASOURCE_PASSWORD}.
 * Arguments {@code --name=value} are settings every service gets; {@code --targets-file=path} also writes the
 * services' addresses there as a Prometheus {@code file_sd} target list (see {@code deploy/prometheus/standalone.yml}),
 * so Prometheus finds the ports without fixing them in advance.
 */
public final class Serve {

    private Serve() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        Path targets = null;
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            String name = arg.substring(2, equals);
            String value = arg.substring(equals + 1);
            if (name.equals("targets-file")) {
                targets = Path.of(value);
            } else {
                settings.put(name, value);
            }
        }
        Platform platform = Platform.start(
                env("SPRING_DATASOURCE_URL", "jdbc:postgresql://localhost:5432/tsr"),
                env("SPRING_DATASOURCE_USERNAME", "postgres"),
                env("SPRING_DATASOURCE_PASSWORD", ""),
                settings);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close, "platform-shutdown"));
        for (Service service : Service.values()) {
            System.out.printf("%s http://127.0.0.1:%d%n", label(service), platform.port(service));
        }
        if (targets != null) {
            writeTargets(platform, targets);
        }
        // the web servers' threads keep the JVM running
    }

    /** Writes the target list through a temporary file, so Prometheus never reads half of it. */
    static void writeTargets(Platform platform, Path file) throws IOException {
        List<String> entries = new ArrayList<>();
        for (Service service : Service.values()) {
            entries.add("  {\"targets\": [\"127.0.0.1:%d\"], \"labels\": {\"service\": \"%s\"}}"
                    .formatted(platform.port(service), label(service)));
        }
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path written = Files.createTempFile(absolute.getParent(), ".targets", ".json");
        Files.writeString(written, "[\n" + String.join(",\n", entries) + "\n]\n");
        Files.move(written, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String label(Service service) {
        return service.name().toLowerCase(Locale.ROOT);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
