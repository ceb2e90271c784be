package org.tsr.store.judgment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.tsr.contract.responses.ResponsePurpose;

/** Reads the per-response aggregate of judgments (the {@code response_score} view). */
@Service
public class ResponseScores {

    private static final String COLUMNS =
            "s.response_id, s.judge_generation_id, s.judgments, s.valid_judgments, s.mean_score, s.score_variance";

    private final JdbcClient jdbc;

    ResponseScores(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ResponseScore> of(long responseId, long judgeGenerationId) {
        return jdbc.sql("select " + COLUMNS + " from response_score s"
                        + " where s.response_id = ? and s.judge_generation_id = ?")
                .params(responseId, judgeGenerationId)
                .query(ResponseScores::map)
                .optional();
    }

    /** The scores, under one judge, of every response sampled in an iteration. */
    public List<ResponseScore> ofIteration(long iterationId, long judgeGenerationId) {
        return jdbc.sql("select " + COLUMNS + " from response_score s join response r on r.id = s.response_id"
                        + " where r.iteration_id = ? and s.judge_generation_id = ? order by s.response_id")
                .params(iterationId, judgeGenerationId)
                .query(ResponseScores::map)
                .list();
    }

    /**
     * Every response of an iteration with one of the given purposes, with its score under the judge (unscored
     * responses included, with a null score), ordered by prompt, purpose and sample.
     */
    public List<JudgedResponse> judgedResponses(
            long iterationId, long judgeGenerationId, java.util.Collection<ResponsePurpose> purposes) {
        String[] purposeNames = purposes.stream().map(Enum::name).toArray(String[]::new);
        return jdbc.sql("""
                        select r.id, r.prompt_id, r.purpose, r.sample_index, r.token_count,
                               s.mean_score, coalesce(s.score_variance, 0) as score_variance,
                               coalesce(s.valid_judgments, 0) as valid_judgments
                        from response r
                        left join response_score s on s.response_id = r.id and s.judge_generation_id = :judge
                        where r.iteration_id = :iteration and r.purpose = any(:purposes)
                        order by r.prompt_id, r.purpose, r.sample_index
                        """)
                .param("judge", judgeGenerationId)
                .param("iteration", iterationId)
                .param("purposes", purposeNames)
                .query((rs, row) -> new JudgedResponse(
                        rs.getLong("id"),
                        rs.getLong("prompt_id"),
                        ResponsePurpose.valueOf(rs.getString("purpose")),
                        rs.getInt("sample_index"),
                        rs.getInt("token_count"),
                        (Double) rs.getObject("mean_score"),
                        rs.getDouble("score_variance"),
                        rs.getInt("valid_judgments")))
                .list();
    }

    private static ResponseScore map(ResultSet rs, int row) throws SQLException {
        return new ResponseScore(
                rs.getLong("response_id"),
                rs.getLong("judge_generation_id"),
                rs.getInt("judgments"),
                rs.getInt("valid_judgments"),
                (Double) rs.getObject("mean_score"),
                rs.getDouble("score_variance"));
    }
}
