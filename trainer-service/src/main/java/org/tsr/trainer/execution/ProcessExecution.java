package org.tsr.trainer.execution;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.trainer.TrainerProperties;
import org.tsr.trainer.export.ProgressEvent;
import org.tsr.trainer.export.ProgressLines;
import org.tsr.trainer.job.PreparedJob;
import org.tsr.trainer.job.PreparedJobs;
import org.tsr.trainer.job.RemoteProgress;
import org.tsr.trainer.job.RemoteProgressFactory;
import org.tsr.trainer.job.TrainedModel;
import org.tsr.trainer.process.TrainingProcess;

/**
 * Trains in a child process ({@link TrainingProcess}) that reads the job's export from the checkpoints folder and
 * writes the model there: the job leaves this JVM's heap and native memory, and a crash of the trainer is the
 * child's alone. The child follows this process: if trainer-service dies, its child stops too (its stdin closes), so
 * the next attempt never trains beside an orphan; the next attempt resumes from the training checkpoint.
 */
@Component
class ProcessExecution implements TrainingExecution {

    private static final Logger log = LoggerFactory.getLogger(ProcessExecution.class);
    private static final int STDERR_TAIL_LINES = 20;
    private static final int TAIL_BYTES = 16 * 1024;
    private static final Duration LEASE_CHECK = Duration.ofSeconds(10);

    private final PreparedJobs jobs;
    private final JobExportWriter exports;
    private final RemoteProgressFactory progress;
    private final ImportedModels imports;
    private final TrainerProperties properties;

    ProcessExecution(
            PreparedJobs jobs,
            JobExportWriter exports,
            RemoteProgressFactory progress,
            ImportedModels imports,
            TrainerProperties properties) {
        this.jobs = jobs;
        this.exports = exports;
        this.progress = progress;
        this.imports = imports;
        this.properties = properties;
    }

    @Override
    public TrainingExecutor executor() {
        return TrainingExecutor.PROCESS;
    }

    @Override
    public TrainedModel train(PreparedJob job, ExecutionContext context) {
        Path folder = exports.write(job);
        Path stderr = folder.resolve("trainer.log");
        List<String> command = JavaCommand.of(
                TrainingProcess.class,
                properties.process().jvmOptions(),
                List.of(
                        folder.toString(),
                        "--device",
                        properties.device(),
                        "--threads",
                        Integer.toString(properties.intraOpThreads()),
                        "--reference-batch-pairs",
                        Integer.toString(properties.referenceBatchPairs()),
                        "--exit-with-parent"));
        RemoteProgress remote = progress.forJob(job);
        Process child;
        try {
            child = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the trainer process " + command.get(0), e);
        }
        log.info("Training job {} in process {}", job.jobId(), child.pid());
        int exit;
        try {
            Thread reader = new Thread(() -> readProgress(child, remote), "trainer-process-" + job.jobId());
            reader.setDaemon(true);
            reader.start();
            try {
                exit = waitFor(child, context, job);
            } finally {
                // every line the child wrote is recorded before the job's outcome is: the pipe closes once it is gone
                child.destroyForcibly();
                joinQuietly(reader);
            }
        } finally {
            child.destroyForcibly();
        }
        jobs.recordExportedReference(job, folder);
        if (exit != 0) {
            remote.rethrowIfJobInvalid();
            ProgressEvent.Failed failed = remote.failed();
            throw new IllegalStateException("the trainer process exited with status " + exit
                    + (failed == null ? "" : ": " + failed.reason()) + tail(stderr));
        }
        if (remote.finished() == null) {
            throw new IllegalStateException(
                    "the trainer process exited without reporting a finished model" + tail(stderr));
        }
        imports.importModel(job);
        return jobs.publish(job, remote.finished().steps(), remote.summary(), context.whileHeld());
    }

    /**
     * Waits for the child, stopping it when the run is cancelled or this worker lost the unit (another worker may be
     * training the job in the same folder by now).
     */
    private int waitFor(Process child, ExecutionContext context, PreparedJob job) {
        long nextLeaseCheck = System.nanoTime() + LEASE_CHECK.toNanos();
        try {
            while (!child.waitFor(1, TimeUnit.SECONDS)) {
                if (context.cancelled().getAsBoolean()) {
                    child.destroyForcibly().waitFor();
                    throw new TrainingCancelledException("the run of training job " + job.jobId()
                            + " was cancelled; its trainer process was stopped");
                }
                if (System.nanoTime() > nextLeaseCheck) {
                    context.whileHeld().accept(() -> {});
                    nextLeaseCheck = System.nanoTime() + LEASE_CHECK.toNanos();
                }
            }
            return child.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrainerUnreachableException("interrupted while training job " + job.jobId() + " in a process", e);
        }
    }

    private static void joinQuietly(Thread reader) {
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void readProgress(Process child, RemoteProgress remote) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                try {
                    remote.accept(ProgressLines.parse(line));
                } catch (RuntimeException e) {
                    log.warn("Could not record a progress line of the trainer process: {}", e.getMessage());
                }
            }
        } catch (IOException e) {
            log.warn("Lost the trainer process's output: {}", e.getMessage());
        }
    }

    /** The end of the child's log, read leniently and at most {@value #TAIL_BYTES} bytes of it. */
    private static String tail(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(TAIL_BYTES, size));
            channel.read(buffer, size - buffer.capacity());
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            List<String> lines = List.of(text.split("\n"));
            List<String> tail = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
            return text.isBlank() ? "" : "; its log ends:\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "";
        }
    }
}
