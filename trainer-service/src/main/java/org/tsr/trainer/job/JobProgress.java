package org.tsr.trainer.job;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.TrainingListener;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.training.TrainingJob;
import org.tsr.store.training.TrainingJobRepository;
import org.tsr.trainer.TrainerProperties;

/** A running job's row: started, its step and latest metrics every so often, or failed with the reason. */
@Component
public class JobProgress {

    private final TrainingJobRepository jobs;
    private final ModelGenerationRepository generations;
    private final TransactionTemplate transactions;
    private final Duration every;

    JobProgress(
            TrainingJobRepository jobs,
            ModelGenerationRepository generations,
            TransactionTemplate transactions,
            TrainerProperties properties) {
        this.jobs = jobs;
        this.generations = generations;
        this.transactions = transactions;
        this.every = properties.progressEvery();
    }

    public void start(long jobId, int totalSteps, String logLine) {
        update(jobId, job -> {
            job.start(totalSteps);
            job.appendLog(logLine + "\n");
        });
    }

    /** Writes the step and metrics at most every {@code progressEvery}, and always for the last and skipped steps. */
    public TrainingListener listener(long jobId, TrainingListener alsoTell) {
        return new TrainingListener() {
            private long lastWrite;

            @Override
            public void onStep(StepMetrics metrics) {
                alsoTell.onStep(metrics);
                long now = System.nanoTime();
                if (metrics.skipped()
                        || metrics.step() == metrics.totalSteps()
                        || lastWrite == 0
                        || now - lastWrite >= every.toNanos()) {
                    lastWrite = now;
                    String line = "step " + metrics.step() + "/" + metrics.totalSteps()
                            + (metrics.skipped()
                                    ? " not finite (" + metrics.nonFinite()
                                            + "): rolled back to the parameters of step " + metrics.restoredStep()
                                            + ", optimizer restarted"
                                    : " loss " + String.format(Locale.ROOT, "%.5f", metrics.loss()));
                    update(jobId, job -> {
                        job.progress(metrics.step(), JobJson.write(metrics.asMap()));
                        job.appendLog(line + "\n");
                    });
                }
            }

            @Override
            public void onCheckpoint(int step) {
                update(jobId, job -> job.appendLog("training checkpoint at step " + step + "\n"));
            }
        };
    }

    /** Appends lines to the job's log tail. */
    public void log(long jobId, String lines) {
        update(jobId, job -> job.appendLog(lines.endsWith("\n") ? lines : lines + "\n"));
    }

    /** Records the executor a job runs on, and its workload when it has one. */
    public void placed(long jobId, String executor, String workload) {
        update(jobId, job -> {
            job.assignExecutor(executor);
            if (workload != null) {
                job.attachWorkload(workload);
            }
        });
    }

    /** Ends the job cancelled with its run; a generation registered ahead for it is marked failed. */
    public void cancel(long jobId, String reason) {
        update(jobId, job -> {
            job.cancel(reason);
            markOutputFailed(job);
        });
    }

    /** Ends the job failed with its reason; a generation registered ahead for it is marked failed too. */
    public void fail(long jobId, String reason) {
        update(jobId, job -> {
            job.fail(reason);
            markOutputFailed(job);
        });
    }

    private void markOutputFailed(TrainingJob job) {
        if (job.getOutputGenerationId() != null) {
            generations.findById(job.getOutputGenerationId()).ifPresent(generation -> {
                generation.markFailed();
                generations.save(generation);
            });
        }
    }

    public static Map<String, Object> summary(StepMetrics last, int resumedFromStep, int examples) {
        Map<String, Object> metrics = new LinkedHashMap<>(last.asMap());
        metrics.put("examples", examples);
        metrics.put("resumed_from_step", resumedFromStep);
        return metrics;
    }

    private void update(long jobId, java.util.function.Consumer<TrainingJob> change) {
        transactions.executeWithoutResult(status -> {
            TrainingJob job = jobs.findById(jobId).orElseThrow();
            change.accept(job);
            jobs.save(job);
        });
    }
}
