package org.tsr.store.run;

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

/** One SR or TSR experiment: iterations from a starting model generation, with its configuration as JSON. */
@Entity
@DynamicUpdate
@Table(name = "run")
public class Run {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    @Enumerated(EnumType.STRING)
    private RunMethod method;

    @JdbcTypeCode(SqlTypes.JSON)
    private String configuration;

    @Enumerated(EnumType.STRING)
    private RunStatus status = RunStatus.PENDING;

    private Long initialGenerationId;
    private Instant createdAt = Instant.now();
    private Instant updatedAt = createdAt;
    private Instant startedAt;
    private Instant finishedAt;
    private String failureReason;

    protected Run() {}

    public Run(String name, RunMethod method, Long initialGenerationId, String configurationJson) {
        this.name = Objects.requireNonNull(name, "name");
        this.method = Objects.requireNonNull(method, "method");
        this.initialGenerationId = initialGenerationId;
        this.configuration = Objects.requireNonNull(configurationJson, "configurationJson");
    }

    public void start() {
        status = RunStatus.RUNNING;
        if (startedAt == null) {
            startedAt = Instant.now();
        }
    }

    public void pause() {
        status = RunStatus.PAUSED;
    }

    public void finish(RunStatus outcome) {
        if (outcome != RunStatus.SUCCEEDED && outcome != RunStatus.FAILED && outcome != RunStatus.CANCELLED) {
            throw new IllegalArgumentException("a run finishes SUCCEEDED, FAILED or CANCELLED, not " + outcome);
        }
        status = outcome;
        finishedAt = Instant.now();
    }

    /** Stops the run for good with the reason shown to users. */
    public void fail(String reason) {
        failureReason = Objects.requireNonNull(reason, "reason");
        finish(RunStatus.FAILED);
    }

    /** Continues a failed or paused run; a failed run forgets its reason. */
    public void resume() {
        if (status != RunStatus.FAILED && status != RunStatus.PAUSED) {
            throw new IllegalStateException("only a FAILED or PAUSED run can resume; this one is " + status);
        }
        failureReason = null;
        finishedAt = null;
        status = RunStatus.RUNNING;
    }

    @PreUpdate
    void touch() {
        updatedAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public RunMethod getMethod() {
        return method;
    }

    public String getConfiguration() {
        return configuration;
    }

    public RunStatus getStatus() {
        return status;
    }

    public Long getInitialGenerationId() {
        return initialGenerationId;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public String getFailureReason() {
        return failureReason;
    }
}
