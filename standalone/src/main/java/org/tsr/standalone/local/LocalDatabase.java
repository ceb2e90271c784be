package org.tsr.standalone.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tsr.standalone.console.UserError;

/**
 * A command's database: the one the user named, or an embedded PostgreSQL that lives as long as the command (or, for
 * {@code tsr serve}, keeps its files between starts).
 */
public final class LocalDatabase implements AutoCloseable {

    private final EmbeddedPostgres embedded;
    private final String url;
    private final String user;
    private final String password;

    private LocalDatabase(EmbeddedPostgres embedded, String url, String user, String password) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The database at {@code dbUrl}, checked first, or an embedded one when it is null. */
    static LocalDatabase open(String dbUrl, String dbUser, String dbPassword) {
        if (dbUrl != null) {
            Preflight.databaseReachable(dbUrl, dbUser, dbPassword);
            return new LocalDatabase(null, dbUrl, dbUser, dbPassword);
        }
        quietServerLog();
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            return new LocalDatabase(postgres, postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException | RuntimeException e) {
            throw new UserError("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * The database at {@code dbUrl}, checked first, or an embedded one whose files live in {@code folder} and stay
     * there between starts.
     */
    public static LocalDatabase openKept(String dbUrl, String dbUser, String dbPassword, Path folder) {
        if (dbUrl != null) {
            return open(dbUrl, dbUser, dbPassword);
        }
        quietServerLog();
        try {
            Files.createDirectories(folder);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(folder)
                    .setCleanDataDirectory(false)
                    // stopped by tsr serve's own hook, after the services that use it
                    .setRegisterShutdownHook(false)
                    .start();
            return new LocalDatabase(postgres, postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (IOException | RuntimeException e) {
            throw new UserError(
                    "cannot start the embedded PostgreSQL in " + folder.toAbsolutePath() + ": " + e.getMessage()
                            + " (is another tsr serve using that folder?)",
                    e);
        }
    }

    /** The embedded server's output belongs in the platform log, not on the terminal before the services start. */
    private static void quietServerLog() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.zonky"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                // the server is going away with the JVM anyway
            }
        }
    }
}
