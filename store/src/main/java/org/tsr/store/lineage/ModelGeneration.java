package org.tsr.store.lineage;

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

/** One model in the lineage: M0, a policy, or a future model, with the generation it was trained from. */
@Entity
@DynamicUpdate
@Table(name = "model_generation")
public class ModelGeneration {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;

    @Enumerated(EnumType.STRING)
    private GenerationKind kind;

    private Long parentId;
    private Long runId;
    private Long iterationId;
    private String checkpointUri;

    @Enumerated(EnumType.STRING)
    private CheckpointFormat checkpointFormat;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "model_config")
    private String modelConfig = "{}";

    @JdbcTypeCode(SqlTypes.JSON)
    private String metrics = "{}";

    @Enumerated(EnumType.STRING)
    private GenerationStatus status = GenerationStatus.PENDING;

    private Instant createdAt = Instant.now();
    private Instant updatedAt = createdAt;

    protected ModelGeneration() {}

    private ModelGeneration(String name, GenerationKind kind, Long parentId, Long runId, Long iterationId) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.parentId = parentId;
        this.runId = runId;
        this.iterationId = iterationId;
    }

    /** A model that comes from outside the platform (a base model or an existing SFT checkpoint). */
    public static ModelGeneration imported(
            String name, GenerationKind kind, String checkpointUri, CheckpointFormat format) {
        if (kind != GenerationKind.BASE && kind != GenerationKind.SFT) {
            throw new IllegalArgumentException("only BASE or SFT generations can be imported, not " + kind);
        }
        ModelGeneration generation = new ModelGeneration(name, kind, null, null, null);
        generation.markReady(checkpointUri, format);
        return generation;
    }

    /** The built-in oracle as a judge generation. */
    public static ModelGeneration builtinOracle() {
        return imported(ORACLE_NAME, GenerationKind.BASE, "builtin:oracle", CheckpointFormat.BUILTIN_ORACLE);
    }

    public static final String ORACLE_NAME = "builtin-oracle";

    public boolean isBuiltinOracle() {
        return checkpointFormat == CheckpointFormat.BUILTIN_ORACLE;
    }

    /** A model the platform is about to train from {@code parent}; it is PENDING until its weights exist. */
    public static ModelGeneration trainedFrom(
            ModelGeneration parent, String name, GenerationKind kind, Long runId, Long iterationId) {
        Objects.requireNonNull(parent.getId(), "the parent generation must be saved first");
        return new ModelGeneration(name, kind, parent.getId(), runId, iterationId);
    }

    public void markTraining() {
        status = GenerationStatus.TRAINING;
    }

    public void markReady(String checkpointUri, CheckpointFormat format) {
        this.checkpointUri = Objects.requireNonNull(checkpointUri, "checkpointUri");
        this.checkpointFormat = Objects.requireNonNull(format, "format");
        this.status = GenerationStatus.READY;
    }

    public void markFailed() {
        status = GenerationStatus.FAILED;
    }

    public void discard() {
        status = GenerationStatus.DISCARDED;
    }

    public void recordModelConfig(String json) {
        this.modelConfig = Objects.requireNonNull(json, "json");
    }

    public void recordMetrics(String json) {
        this.metrics = Objects.requireNonNull(json, "json");
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

    public GenerationKind getKind() {
        return kind;
    }

    public Long getParentId() {
        return parentId;
    }

    public Long getRunId() {
        return runId;
    }

    public Long getIterationId() {
        return iterationId;
    }

    public String getCheckpointUri() {
        return checkpointUri;
    }

    public CheckpointFormat getCheckpointFormat() {
        return checkpointFormat;
    }

    public String getModelConfig() {
        return modelConfig;
    }

    public String getMetrics() {
        return metrics;
    }

    public GenerationStatus getStatus() {
        return status;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
