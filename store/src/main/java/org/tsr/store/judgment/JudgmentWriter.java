package org.tsr.store.judgment;

import java.sql.Types;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.tsr.store.StorableText;

/**
 * Writes judgments in one batch. A judgment already stored for the same (response, judge, sample index) is kept as it
 * is, so a retried judging unit writes nothing twice.
 */
@Service
public class JudgmentWriter {

    private static final String INSERT = """
            insert into judgment (response_id, judge_generation_id, sample_index, raw_text, score, parse_error,
                                  prompt_tokens, completion_tokens)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict on constraint judgment_sample_unique do nothing
            """;

    private final JdbcTemplate jdbc;

    JudgmentWriter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    public void saveAll(List<Judgment> judgments) {
        jdbc.batchUpdate(INSERT, judgments, 1000, (statement, judgment) -> {
            statement.setLong(1, judgment.getResponseId());
            statement.setLong(2, judgment.getJudgeGenerationId());
            statement.setInt(3, judgment.getSampleIndex());
            statement.setString(4, StorableText.of(judgment.getRawText()));
            if (judgment.getScore() == null) {
                statement.setNull(5, Types.DOUBLE);
            } else {
                statement.setDouble(5, judgment.getScore());
            }
            statement.setString(6, judgment.getParseError());
            statement.setObject(7, judgment.getPromptTokens(), Types.INTEGER);
            statement.setObject(8, judgment.getCompletionTokens(), Types.INTEGER);
        });
    }
}
