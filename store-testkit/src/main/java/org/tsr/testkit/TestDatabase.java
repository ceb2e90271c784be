package org.tsr.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL database per test JVM, chosen in this order:
 *
 * <ol>
 *   <li>{@code TEST_DB_URL} (with {@code TEST_DB_USER}, {@code TEST_DB_PASSWORD}): a server someone started. A fresh
 *       database is created on it for this JVM and dropped at exit, so test modules never see each other's rows;
 *       where the account may not create databases, the given database is used as it is.
 *   <li>Testcontainers PostgreSQL, when a Docker engine answers.
 *   <li>Embedded PostgreSQL (real PostgreSQL 17 binaries unpacked from a Maven jar).
 * </ol>
 *
 * The same test classes run against all three.
 */
public final class TestDatabase {

    private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
    private static final String CONTAINER_IMAGE = "postgres:17-alpine";

    private static volatile Connection connection;

    private TestDatabase() {}

    /** Where to connect; starts or creates the database on first use. */
    public static synchronized Connection connection() {
        if (connection == null) {
            connection = open();
            log.info("Test database ({}): {}", connection.source(), connection.url());
        }
        return connection;
    }

    /** The JDBC coordinates of the test database and how it was obtained. */
    public record Connection(String url, String user, String password, String source) {

        /** Opens a plain JDBC connection, for tests and benchmarks that work below Spring. */
        public java.sql.Connection open() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private static Connection open() {
        String url = System.getenv("TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            return fromServer(url, envOr("TEST_DB_USER", "postgres"), envOr("TEST_DB_PASSWORD", ""));
        }
        if (dockerAnswers()) {
            return fromContainer();
        }
        return fromEmbedded();
    }

    private static Connection fromServer(String url, String user, String password) {
        String database =
                "tsr_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (java.sql.Connection admin = DriverManager.getConnection(url, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("create database " + database);
        } catch (SQLException e) {
            log.warn("Cannot create a database on {} ({}); tests use that database as it is", url, e.getMessage());
            return new Connection(url, user, password, "TEST_DB_URL");
        }
        String perJvmUrl = replaceDatabase(url, database);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(url, user, password, database)));
        return new Connection(perJvmUrl, user, password, "TEST_DB_URL, database " + database);
    }

    private static void drop(String adminUrl, String user, String password, String database) {
        try (java.sql.Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + database + ": " + e.getMessage());
        }
    }

    /** Swaps the database name in a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String replaceDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        if (!url.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            throw new IllegalArgumentException("TEST_DB_URL must start with " + prefix + ", got " + url);
        }
        int pathStart = url.indexOf('/', prefix.length());
        int queryStart = url.indexOf('?');
        String hostPart =
                pathStart < 0 ? (queryStart < 0 ? url : url.substring(0, queryStart)) : url.substring(0, pathStart);
        String query = queryStart < 0 ? "" : url.substring(queryStart);
        return hostPart + "/" + database + query;
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives for the JVM; Testcontainers' reaper removes it
    private static Connection fromContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(CONTAINER_IMAGE);
        container.start();
        return new Connection(
                container.getJdbcUrl(), container.getUsername(), container.getPassword(), "Testcontainers");
    }

    private static Connection fromEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
            return new Connection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "embedded PostgreSQL");
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL failed to start", e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("Embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
