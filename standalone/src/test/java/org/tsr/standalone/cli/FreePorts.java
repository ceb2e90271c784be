package org.tsr.standalone.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Five consecutive free ports, as {@code tsr demo --port} needs. */
public final class FreePorts {

    private FreePorts() {}

    public static int base() {
        for (int attempt = 0; attempt < 200; attempt++) {
            // below Linux's ephemeral range (32768 and up), so an outgoing connection cannot take a port a restarted
            // service must bind again
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (allFree(base)) {
                return base;
            }
        }
        throw new IllegalStateException("no five consecutive free ports found");
    }

    private static boolean allFree(int base) {
        for (int port = base; port < base + 5; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
