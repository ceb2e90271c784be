package org.tsr.store.response;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes sampled responses in bulk: the rows are streamed with {@code COPY} into a session-local staging table and
 * moved into {@code response} with one {@code insert ... select}. A response already stored under the same
 * (iteration, prompt, generation, purpose, sample index) is skipped, so a retried work unit never duplicates rows.
 */
@Service
public class ResponseWriter {

    private static final String CREATE_STAGING = """
            create temporary table if not exists response_staging (
                prompt_id bigint, generation_id bigint, iteration_id bigint, purpose text, sample_index integer,
                text text, token_count integer, finish_reason text
            ) on commit delete rows
            """;
    private static final String COPY_INTO_STAGING = "copy response_staging from stdin";
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
        try (Statement statement = connection.createStatement()) {
            statement.execute(CREATE_STAGING);
            try {
                connection
                        .unwrap(PGConnection.class)
                        .getCopyAPI()
                        .copyIn(COPY_INTO_STAGING, new StringReader(CopyText.rows(responses)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int inserted = statement.executeUpdate(MOVE_STAGED);
            // a second call in the same transaction must not see these rows again
            statement.execute("truncate response_staging");
            return inserted;
        }
    }
}
