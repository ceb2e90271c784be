package org.tsr.store.judgment;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/**
 * One LLM-as-a-Judge sample on one response. A judgment whose score could not be parsed, or was out of range, keeps
 * its raw text and the reason; it does not count towards the response's score.
 */
@Entity
@Table(name = "judgment")
public class Judgment {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Long responseId;
    private Long judgeGenerationId;
    private int sampleIndex;
    private String rawText;
    private Double score;
    private String parseError;
    private Integer promptTokens;
    private Integer completionTokens;
    private Instant createdAt = Instant.now();

    protected Judgment() {}

    private Judgment(
            long responseId, long judgeGenerationId, int sampleIndex, String rawText, Double score, String parseError) {
        this.responseId = responseId;
        this.judgeGenerationId = judgeGenerationId;
        this.sampleIndex = sampleIndex;
        this.rawText = Objects.requireNonNull(rawText, "rawText");
        this.score = score;
        this.parseError = parseError;
    }

    public static Judgment scored(
            long responseId, long judgeGenerationId, int sampleIndex, String rawText, double score) {
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("a judgment score must be finite, got " + score);
        }
        return new Judgment(responseId, judgeGenerationId, sampleIndex, rawText, score, null);
    }

    public static Judgment unparseable(
            long responseId, long judgeGenerationId, int sampleIndex, String rawText, String reason) {
        return new Judgment(
                responseId, judgeGenerationId, sampleIndex, rawText, null, Objects.requireNonNull(reason, "reason"));
    }

    /** Records what the model judge spent on this judgment: its prompt's tokens and the tokens it generated. */
    public Judgment withTokens(int promptTokens, int completionTokens) {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException(
                    "token counts must be >= 0, got " + promptTokens + " and " + completionTokens);
        }
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        return this;
    }

    public Integer getPromptTokens() {
        return promptTokens;
    }

    public Integer getCompletionTokens() {
        return completionTokens;
    }

    public Long getId() {
        return id;
    }

    public Long getResponseId() {
        return responseId;
    }

    public Long getJudgeGenerationId() {
        return judgeGenerationId;
    }

    public int getSampleIndex() {
        return sampleIndex;
    }

    public String getRawText() {
        return rawText;
    }

    public Double getScore() {
        return score;
    }

    public String getParseError() {
        return parseError;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
