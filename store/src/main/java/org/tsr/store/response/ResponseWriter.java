package org.tsr.store.response;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes sampled responses in bulk with {@code COPY}. The rows are first copied straight into {@code response}, the
 * fast path for new samples. If any of them is already stored under the same (iteration, prompt, generation, purpose,
 * sample index), as when a work unit is retried, that copy is rolled back to a savepoint and the rows go through a
 * session-local staging table and one {@code insert ... on conflict do nothing} instead, so nothing is duplicated.
 */
@Service
public class ResponseWriter {

    private static final String CREATE_STAGING = """
            create temporary table if not exists response_staging (
                prompt_id bigint, generation_id bigint, iteration_id bigint, purpose text, sample_index integer,
                text text, token_count integer, finish_reason text
            ) on commit delete rows
            """;
    private static final String COLUMNS =
            "prompt_id, generation_id, iteration_id, purpose, sample_index, text, token_count, finish_reason";
    private static final String COPY_INTO_RESPONSE = "copy response (" + COLUMNS + ") from stdin";
    private static final String COPY_INTO_STAGING = "copy response_staging from stdin";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String MOVE_STAGED = """
            insert into response (prompt_id, generation_id, iteration_id, purpose, sample_index, text, token_count,
                                  finish_reason)
            select prompt_id, generation_id, iteration_id, purpose, sample_index, text, token_count, finish_reason
            from response_staging
            on conflict on constraint response_sample_unique do nothing
            """;

    private final JdbcTemplate jdbc;

    ResponseWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the responses in the caller's transaction (or a new one); returns how many were new. */
    @Transactional
    public int saveAll(List<NewResponse> responses) {
        if (responses.isEmpty()) {
            return 0;
        }
        return jdbc.execute((ConnectionCallback<Integer>) connection -> write(connection, responses));
    }

    private static int write(Connection connection, List<NewResponse> responses) throws SQLException {
        Savepoint beforeCopy = connection.setSavepoint();
        try {
            long copied = copy(connection, COPY_INTO_RESPONSE, responses);
            connection.releaseSavepoint(beforeCopy);
            return Math.toIntExact(copied);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeCopy);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
            copy(connection, COPY_INTO_STAGING, responses);
            int inserted = statement.executeUpdate(MOVE_STAGED);
            // a second call in the same transaction must not see these rows again
            statement.execute("truncate response_staging");
            return inserted;
        }
    }

    private static long copy(Connection connection, String sql, List<NewResponse> responses) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            return CopyText.send(responses, copy);
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }
}
