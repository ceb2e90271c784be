package org.tsr.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

class StoreUnreachableFailureAnalyzerTest {

    final StoreUnreachableFailureAnalyzer analyzer = new StoreUnreachableFailureAnalyzer(
            new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db:5432/tsr"));

    @Test
    void namesTheUrlAndTheSettingWhenTheServerRefuses() {
        PSQLException refused =
                new PSQLException("Connection to db:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT);

        FailureAnalysis analysis = analyzer.analyze(new IllegalStateException("context failed", refused));

        assertThat(analysis.getDescription())
                .isEqualTo(
                        "The store at jdbc:postgresql://db:5432/tsr could not be used: Connection to db:5432 refused.");
        assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL");
    }

    @Test
    void suggestsCreatingAMissingDatabase() {
        PSQLException missing =
                new PSQLException(new ServerErrorMessage("SFATAL\0C3D000\0Mdatabase \"tsr\" does not exist\0"));

        assertThat(analyzer.analyze(missing).getAction()).startsWith("Create the database");
    }

    @Test
    void leavesOtherDatabaseErrorsToSpring() {
        PSQLException syntax = new PSQLException("syntax error", PSQLState.SYNTAX_ERROR);

        assertThat(analyzer.analyze(syntax)).isNull();
    }
}
