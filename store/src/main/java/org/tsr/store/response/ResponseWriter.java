package org.tsr.store.response;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes sampled responses in bulk: each chunk travels as one {@code insert ... select from unnest(arrays)}, one
 * round trip and one statement for thousands of rows. A response already stored under the same (iteration, prompt,
 * generation, purpose, sample index) is skipped, so a retried work unit never duplicates rows.
 */
@Service
public class ResponseWriter {

    private static final String INSERT = """
            insert into response (prompt_id, generation_id, iteration_id, purpose, sample_index, text, token_count,
                                  finish_reason)
            select * from unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::integer[], ?::text[],
                                 ?::integer[], ?::text[])
            on conflict on constraint response_sample_unique do nothing
            """;
    private static final int CHUNK_SIZE = 2000;

    private final JdbcTemplate jdbc;

    ResponseWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the responses in the caller's transaction (or a new one); returns how many were new. */
    @Transactional
    public int saveAll(List<NewResponse> responses) {
        int inserted = 0;
        for (int from = 0; from < responses.size(); from += CHUNK_SIZE) {
            List<NewResponse> chunk = responses.subList(from, Math.min(responses.size(), from + CHUNK_SIZE));
            inserted += jdbc.execute((ConnectionCallback<Integer>) connection -> insert(connection, chunk));
        }
        return inserted;
    }

    private static int insert(Connection connection, List<NewResponse> chunk) throws SQLException {
        int n = chunk.size();
        Long[] promptIds = new Long[n];
        Long[] generationIds = new Long[n];
        Long[] iterationIds = new Long[n];
        String[] purposes = new String[n];
        Integer[] sampleIndexes = new Integer[n];
        String[] texts = new String[n];
        Integer[] tokenCounts = new Integer[n];
        String[] finishReasons = new String[n];
        for (int i = 0; i < n; i++) {
            NewResponse response = chunk.get(i);
            promptIds[i] = response.promptId();
            generationIds[i] = response.generationId();
            iterationIds[i] = response.iterationId();
            purposes[i] = response.purpose().name();
            sampleIndexes[i] = response.sampleIndex();
            texts[i] = response.text();
            tokenCounts[i] = response.tokenCount();
            finishReasons[i] = response.finishReason().name();
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            Array[] arrays = {
                connection.createArrayOf("bigint", promptIds),
                connection.createArrayOf("bigint", generationIds),
                connection.createArrayOf("bigint", iterationIds),
                connection.createArrayOf("text", purposes),
                connection.createArrayOf("integer", sampleIndexes),
                connection.createArrayOf("text", texts),
                connection.createArrayOf("integer", tokenCounts),
                connection.createArrayOf("text", finishReasons)
            };
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, arrays[i]);
            }
            return statement.executeUpdate();
        }
    }
}
