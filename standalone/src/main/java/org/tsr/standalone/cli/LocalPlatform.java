package org.tsr.standalone.cli;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsr.standalone.Platform.Service;

/** How the command line's experiments start the platform: local settings, one port per service, the log in a file. */
final class LocalPlatform {

    private LocalPlatform() {}

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
    static Map<Service, Integer> ports(int gatewayPort) {
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, Preflight.port(gatewayPort, service));
        }
        return ports;
    }
}
