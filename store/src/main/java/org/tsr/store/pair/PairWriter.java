package org.tsr.store.pair;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes curated pairs in one batch. A pair already stored for the same (iteration, dataset, prompt) is kept as it
 * is, so a retried pairing unit writes nothing twice.
 */
@Service
public class PairWriter {

    private static final String INSERT = """
            insert into preference_pair (iteration_id, dataset, prompt_id, chosen_response_id, rejected_response_id,
                                         chosen_score, rejected_score, chosen_source, rejected_source)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict on constraint preference_pair_one_per_prompt do nothing
            """;

    private final JdbcTemplate jdbc;

    PairWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void saveAll(List<PreferencePair> pairs) {
        jdbc.batchUpdate(INSERT, pairs, 500, (statement, pair) -> {
            statement.setLong(1, pair.getIterationId());
            statement.setString(2, pair.getDataset().name());
            statement.setLong(3, pair.getPromptId());
            statement.setLong(4, pair.getChosenResponseId());
            statement.setLong(5, pair.getRejectedResponseId());
            statement.setDouble(6, pair.getChosenScore());
            statement.setDouble(7, pair.getRejectedScore());
            statement.setString(8, pair.getChosenSource().name());
            statement.setString(9, pair.getRejectedSource().name());
        });
    }
}
