package org.tsr.standalone.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tsr.standalone.Platform;
import org.tsr.standalone.Platform.Service;

/**
 * The services' addresses as a Prometheus {@code file_sd} target list (see {@code deploy/prometheus/standalone.yml}),
 * so Prometheus finds the ports of {@code tsr serve} without fixing them in advance.
 */
final class TargetsFile {

    private TargetsFile() {}

    /** Writes the target list through a temporary file, so Prometheus never reads half of it. */
    static void write(Platform platform, Path file) throws IOException {
        List<String> entries = new ArrayList<>();
        for (Service service : Service.values()) {
            entries.add(String.format(
                    Locale.ROOT,
                    "  {\"targets\": [\"127.0.0.1:%d\"], \"labels\": {\"service\": \"%s\"}}",
                    platform.port(service),
                    service.name().toLowerCase(Locale.ROOT)));
        }
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path written = Files.createTempFile(absolute.getParent(), ".targets", ".json");
        Files.writeString(written, "[\n" + String.join(",\n", entries) + "\n]\n");
        Files.move(written, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
