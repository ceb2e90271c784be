package org.tsr.store.run;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Iteration i of a run: the policy Mi it starts from, the future model Mf (TSR), the next policy M(i+1) it trains,
 * the prompt chunk it samples on, and its phase.
 */
@Entity
@DynamicUpdate
@Table(name = "iteration")
public class Iteration {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Long runId;

    @Column(name = "iteration_index")
    private int index;

    @Enumerated(EnumType.STRING)
    private IterationPhase phase = IterationPhase.PENDING;

    @Enumerated(EnumType.STRING)
    private IterationStatus status = IterationStatus.PENDING;

    private Long policyGenerationId;
    private Long futureGenerationId;
    private Long nextGenerationId;
    private Integer promptChunk;

    @JdbcTypeCode(SqlTypes.JSON)
    private String timings = "{}";

    // written only by IterationDiagnostics, one section at a time, while stages finish concurrently: an entity saved
    // with an older copy must never overwrite it
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(updatable = false)
    private String diagnostics = "{}";

    private Instant createdAt = Instant.now();
    private Instant updatedAt = createdAt;
    private Instant phaseStartedAt;
    private Instant startedAt;
    private Instant finishedAt;

    protected Iteration() {}

    public Iteration(long runId, int index, long policyGenerationId, Integer promptChunk) {
        if (index < 0) {
            throw new IllegalArgumentException("iteration index must be >= 0, got " + index);
        }
        this.runId = runId;
        this.index = index;
        this.policyGenerationId = policyGenerationId;
        this.promptChunk = promptChunk;
    }

    public void enter(IterationPhase next) {
        Objects.requireNonNull(next, "next");
        Instant now = Instant.now();
        if (startedAt == null) {
            startedAt = now;
        }
        phase = next;
        phaseStartedAt = now;
        status = next == IterationPhase.DONE ? IterationStatus.SUCCEEDED : IterationStatus.RUNNING;
        if (next == IterationPhase.DONE) {
            finishedAt = now;
        }
    }

    public void fail() {
        status = IterationStatus.FAILED;
        finishedAt = Instant.now();
    }

    /** Takes a failed iteration back into its current phase. */
    public void resume() {
        status = IterationStatus.RUNNING;
        finishedAt = null;
    }

    public void cancel() {
        status = IterationStatus.CANCELLED;
        finishedAt = Instant.now();
    }

    public void useFutureGeneration(long generationId) {
        futureGenerationId = generationId;
    }

    public void useNextGeneration(long generationId) {
        nextGenerationId = generationId;
    }

    public void recordTimings(String json) {
        timings = Objects.requireNonNull(json, "json");
    }

    @PreUpdate
    void touch() {
        updatedAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public Long getRunId() {
        return runId;
    }

    public int getIndex() {
        return index;
    }

    public IterationPhase getPhase() {
        return phase;
    }

    public IterationStatus getStatus() {
        return status;
    }

    public Long getPolicyGenerationId() {
        return policyGenerationId;
    }

    public Long getFutureGenerationId() {
        return futureGenerationId;
    }

    public Long getNextGenerationId() {
        return nextGenerationId;
    }

    public Integer getPromptChunk() {
        return promptChunk;
    }

    public String getTimings() {
        return timings;
    }

    public String getDiagnostics() {
        return diagnostics;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getPhaseStartedAt() {
        return phaseStartedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
