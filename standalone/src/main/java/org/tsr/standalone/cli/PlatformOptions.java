package org.tsr.standalone.cli;

import org.tsr.standalone.console.UserError;
import picocli.CommandLine.Option;

/** Where a command's platform runs: the database (embedded unless given) and the five services' ports. */
final class PlatformOptions {

    @Option(
            names = "--db-url",
            description = "JDBC URL of a PostgreSQL to use instead of an embedded one, e.g."
                    + " jdbc:postgresql://localhost:5432/tsr.")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "", description = "Database password.")
    String dbPassword;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "The gateway's port; the generator, judge, pairing and trainer services listen on the four"
                    + " ports after it (default: ${DEFAULT-VALUE}).")
    int port;

    /** Refuses a gateway port that leaves no room for the four services after it. */
    void check() {
        if (port < 1 || port > 65531) {
            throw new UserError("--port must leave room for four more ports below 65536");
        }
    }
}
