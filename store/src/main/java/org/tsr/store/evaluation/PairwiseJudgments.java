package org.tsr.store.evaluation;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.tsr.store.StorableText;

/**
 * Stores pairwise judgments and reads them back with the lengths of both responses. A comparison already stored for
 * the same (response, reference response, judge) is kept as it is, so a retried unit writes nothing twice.
 */
@Service
public class PairwiseJudgments {

    private static final String INSERT = """
            insert into pairwise_judgment (iteration_id, judge_generation_id, response_id, reference_response_id,
                                           forward_choice, reversed_choice, forward_text, reversed_text)
            values (?, ?, ?, ?, ?, ?, ?, ?)
            on conflict on constraint pairwise_judgment_unique do nothing
            """;

    private final JdbcTemplate jdbc;
    private final JdbcClient client;

    PairwiseJudgments(JdbcTemplate jdbc, JdbcClient client) {
        this.jdbc = jdbc;
        this.client = client;
    }

    /** A stored comparison with the length in characters of the evaluated and the reference response. */
    public record Compared(PairwiseJudgment judgment, int length, int referenceLength) {}

    @Transactional
    public void saveAll(List<PairwiseJudgment> judgments) {
        jdbc.batchUpdate(INSERT, judgments, 1000, (statement, judgment) -> {
            statement.setLong(1, judgment.iterationId());
            statement.setLong(2, judgment.judgeGenerationId());
            statement.setLong(3, judgment.responseId());
            statement.setLong(4, judgment.referenceResponseId());
            statement.setInt(5, judgment.forwardChoice());
            statement.setInt(6, judgment.reversedChoice());
            statement.setString(7, StorableText.of(judgment.forwardText()));
            statement.setString(8, StorableText.of(judgment.reversedText()));
        });
    }

    /** The comparisons an iteration's evaluation made with one judge, in prompt order. */
    public List<Compared> ofIteration(long iterationId, long judgeGenerationId) {
        return client.sql("""
                        select j.iteration_id, j.judge_generation_id, j.response_id, j.reference_response_id,
                               j.forward_choice, j.reversed_choice, j.forward_text, j.reversed_text,
                               char_length(r.text) as length, char_length(ref.text) as reference_length
                        from pairwise_judgment j
                        join response r on r.id = j.response_id
                        join response ref on ref.id = j.reference_response_id
                        where j.iteration_id = :iteration and j.judge_generation_id = :judge
                        order by r.prompt_id, j.response_id
                        """)
                .param("iteration", iterationId)
                .param("judge", judgeGenerationId)
                .query((rs, row) -> new Compared(
                        new PairwiseJudgment(
                                rs.getLong("iteration_id"),
                                rs.getLong("judge_generation_id"),
                                rs.getLong("response_id"),
                                rs.getLong("reference_response_id"),
                                rs.getInt("forward_choice"),
                                rs.getInt("reversed_choice"),
                                rs.getString("forward_text"),
                                rs.getString("reversed_text")),
                        rs.getInt("length"),
                        rs.getInt("reference_length")))
                .list();
    }
}
