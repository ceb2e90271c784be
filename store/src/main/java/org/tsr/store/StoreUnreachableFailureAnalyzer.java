package org.tsr.store;

import org.postgresql.util.PSQLException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns a start-up failure to reach the store (server down, unknown database, rejected login) into a short report
 * that names the URL and the setting to change, instead of a page of nested stack traces.
 */
public class StoreUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<PSQLException> {

    private final Environment environment;

    public StoreUnreachableFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PSQLException cause) {
        String state = cause.getSQLState() == null ? "" : cause.getSQLState();
        boolean cannotConnect = state.startsWith("08");
        boolean noDatabase = state.equals("3D000");
        boolean loginRejected = state.startsWith("28");
        if (!cannotConnect && !noDatabase && !loginRejected) {
            return null;
        }
        String url = environment.getProperty("spring.datasource.url", "(spring.datasource.url is not set)");
        String description = "The store at " + url + " could not be used: " + cause.getMessage();
        String action;
        if (noDatabase) {
            action = "Create the database (for example: createdb -h <host> -U <user> tsr), or point "
                    + "SPRING_DATASOURCE_URL at an existing one.";
        } else if (loginRejected) {
            action = "Set SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD to an account the server accepts.";
        } else {
            action = "Start PostgreSQL there, or set SPRING_DATASOURCE_URL to the store's JDBC URL "
                    + "(jdbc:postgresql://host:port/database).";
        }
        return new FailureAnalysis(description, action, cause);
    }
}
