package org.tsr.standalone.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.tsr.standalone.Platform.Service;
import org.tsr.standalone.console.UserError;

/** Checks what a user can get wrong before anything starts, so each problem is one clear line. */
final class Preflight {

    private Preflight() {}

    static void outputFolder(Path out) {
        try {
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".write-check", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserError("cannot write to the output folder " + out.toAbsolutePath() + " (" + e + ")");
        }
    }

    static void portsFree(int gatewayPort) {
        for (Service service : Service.values()) {
            int port = port(gatewayPort, service);
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                throw new UserError("port " + port + " (for the " + service.applicationName()
                        + ") is in use; stop what listens there or pick other ports with --port");
            }
        }
    }

    /** The gateway on the given port, the stage services on the four after it. */
    static int port(int gatewayPort, Service service) {
        return service == Service.GATEWAY ? gatewayPort : gatewayPort + 1 + service.ordinal();
    }

    static void databaseReachable(String url, String user, String password) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new UserError("cannot reach the database at " + url + ": " + e.getMessage());
        }
    }
}
