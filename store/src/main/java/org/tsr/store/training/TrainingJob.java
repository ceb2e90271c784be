package org.tsr.store.training;

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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.tsr.contract.training.TrainingKind;

/** An SFT or DPO job: from which generation, against which reference, on what data, into which new generation. */
@Entity
@Table(name = "training_job")
public class TrainingJob {

    private static final int LOG_TAIL_CHARS = 8_000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Enumerated(EnumType.STRING)
    private TrainingKind kind;

    private Long runId;
    private Long iterationId;
    private Long baseGenerationId;
    private Long referenceGenerationId;
    private Long outputGenerationId;

    @JdbcTypeCode(SqlTypes.JSON)
    private String dataset;

    @JdbcTypeCode(SqlTypes.JSON)
    private String hyperparameters;

    @Enumerated(EnumType.STRING)
    private TrainingStatus status = TrainingStatus.PENDING;

    private int step;
    private Integer totalSteps;

    @JdbcTypeCode(SqlTypes.JSON)
    private String metrics = "{}";

    @JdbcTypeCode(SqlTypes.JSON)
    private String trainer = "{}";

    private String executor;
    private String workload;
    private String logTail;
    private String error;
    private Instant createdAt = Instant.now();
    private Instant updatedAt = createdAt;
    private Instant startedAt;
    private Instant finishedAt;

    protected TrainingJob() {}

    private TrainingJob(
            TrainingKind kind,
            long baseGenerationId,
            Long referenceGenerationId,
            String dataset,
            String hyperparameters) {
        this.kind = kind;
        this.baseGenerationId = baseGenerationId;
        this.referenceGenerationId = referenceGenerationId;
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
    }

    public static TrainingJob sft(long baseGenerationId, String datasetJson, String hyperparametersJson) {
        return new TrainingJob(TrainingKind.SFT, baseGenerationId, null, datasetJson, hyperparametersJson);
    }

    public static TrainingJob dpo(
            long initGenerationId, long referenceGenerationId, String datasetJson, String hyperparametersJson) {
        return new TrainingJob(
                TrainingKind.DPO, initGenerationId, referenceGenerationId, datasetJson, hyperparametersJson);
    }

    public TrainingJob forIteration(Long runId, Long iterationId) {
        this.runId = runId;
        this.iterationId = iterationId;
        return this;
    }

    /**
     * Names the generation this job will produce, registered ahead (PENDING) so that the lineage shows it while it
     * trains.
     */
    public TrainingJob producing(long outputGenerationId) {
        this.outputGenerationId = outputGenerationId;
        return this;
    }

    /** Where the job is to run ({@code TrainerSettings} as JSON); fields left out take the trainer's configuration. */
    public TrainingJob trainedOn(String trainerJson) {
        this.trainer = Objects.requireNonNull(trainerJson, "trainerJson");
        return this;
    }

    /** Records the executor the trainer chose for the job ({@code TrainingExecutor}'s name), once it starts. */
    public void assignExecutor(String executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Records the Kubernetes workload (Job or TrainJob) that trains the job, so a restarted trainer follows it. */
    public void attachWorkload(String workload) {
        this.workload = Objects.requireNonNull(workload, "workload");
    }

    public void start(int totalSteps) {
        status = TrainingStatus.RUNNING;
        this.totalSteps = totalSteps;
        if (startedAt == null) {
            startedAt = Instant.now();
        }
    }

    public void progress(int step, String metricsJson) {
        this.step = step;
        this.metrics = Objects.requireNonNull(metricsJson, "metricsJson");
    }

    public void appendLog(String lines) {
        String combined = logTail == null ? lines : logTail + lines;
        logTail =
                combined.length() <= LOG_TAIL_CHARS ? combined : combined.substring(combined.length() - LOG_TAIL_CHARS);
    }

    public void succeed(long outputGenerationId) {
        this.outputGenerationId = outputGenerationId;
        status = TrainingStatus.SUCCEEDED;
        finishedAt = Instant.now();
    }

    /** Ends the job because its run was cancelled; its workload, if any, has been deleted. */
    public void cancel(String reason) {
        this.error = Objects.requireNonNull(reason, "reason");
        status = TrainingStatus.CANCELLED;
        finishedAt = Instant.now();
    }

    public void fail(String error) {
        this.error = Objects.requireNonNull(error, "error");
        status = TrainingStatus.FAILED;
        finishedAt = Instant.now();
    }

    @PreUpdate
    void touch() {
        updatedAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public TrainingKind getKind() {
        return kind;
    }

    public Long getRunId() {
        return runId;
    }

    public Long getIterationId() {
        return iterationId;
    }

    public Long getBaseGenerationId() {
        return baseGenerationId;
    }

    public Long getReferenceGenerationId() {
        return referenceGenerationId;
    }

    public Long getOutputGenerationId() {
        return outputGenerationId;
    }

    public String getDataset() {
        return dataset;
    }

    public String getHyperparameters() {
        return hyperparameters;
    }

    public TrainingStatus getStatus() {
        return status;
    }

    public int getStep() {
        return step;
    }

    public Integer getTotalSteps() {
        return totalSteps;
    }

    public String getMetrics() {
        return metrics;
    }

    public String getLogTail() {
        return logTail;
    }

    public String getError() {
        return error;
    }

    public String getTrainer() {
        return trainer;
    }

    /** The executor the job ran on, or null before it started. */
    public String getExecutor() {
        return executor;
    }

    /** The Kubernetes workload training the job, or null when it trains on this machine. */
    public String getWorkload() {
        return workload;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }
}
