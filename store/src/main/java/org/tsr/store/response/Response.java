package org.tsr.store.response;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;

/** One sampled response; rows are written in batches by {@link ResponseWriter}, read through JPA. */
@Entity
@Table(name = "response")
public class Response {

    @Id
    private Long id;

    private Long promptId;
    private Long generationId;
    private Long iterationId;

    @Enumerated(EnumType.STRING)
    private ResponsePurpose purpose;

    private int sampleIndex;
    private String text;
    private int tokenCount;

    @Enumerated(EnumType.STRING)
    private FinishReason finishReason;

    private Instant createdAt;

    protected Response() {}

    public Long getId() {
        return id;
    }

    public Long getPromptId() {
        return promptId;
    }

    public Long getGenerationId() {
        return generationId;
    }

    public Long getIterationId() {
        return iterationId;
    }

    public ResponsePurpose getPurpose() {
        return purpose;
    }

    public int getSampleIndex() {
        return sampleIndex;
    }

    public String getText() {
        return text;
    }

    public int getTokenCount() {
        return tokenCount;
    }

    public FinishReason getFinishReason() {
        return finishReason;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
