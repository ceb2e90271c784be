package org.tsr.trainer.process;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.tsr.contract.training.TrainingKind;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.training.StepMetrics;
import org.tsr.trainer.export.ExportFormatException;
import org.tsr.trainer.export.ExportedExamples;
import org.tsr.trainer.export.JobExport;
import org.tsr.trainer.export.JobExports;
import org.tsr.trainer.export.ProgressLines;
import org.tsr.trainer.job.EngineTraining;
import org.tsr.trainer.job.InvalidTrainingJobException;
import org.tsr.trainer.job.JobProgress;

/**
 * The project's trainer as a process of its own: reads a job export folder, trains on the embedded engine and writes
 * the model to the export's output folder, reporting in progress lines on standard output (everything else a library
 * prints goes to standard error). What the process executor runs as a child, and a kubernetes-job pod runs from the
 * trainer image.
 *
 * <pre>
 * TrainingProcess EXPORT_FOLDER [--device cpu|gpu0] [--threads N] [--reference-batch-pairs N] [--exit-with-parent]
 * </pre>
 *
 * Exit status: 0 trained, 2 the job cannot be trained as written (a retry will not help), 3 the parent went away,
 * 1 any other failure.
 */
public final class TrainingProcess {

    private TrainingProcess() {}

    public static void main(String[] args) {
        // progress lines own standard output; a library that prints (or logs to the console) writes to stderr
        PrintStream events = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        int status;
        try {
            status = run(ProcessArguments.parse(args), events);
        } catch (IllegalArgumentException e) {
            events.println(ProgressLines.failed(e.getMessage(), "arguments"));
            status = 2;
        }
        events.flush();
        System.exit(status);
    }

    static int run(ProcessArguments arguments, PrintStream events) {
        if (arguments.exitWithParent()) {
            exitWhenParentGoes();
        }
        try {
            JobExport job = JobExports.read(arguments.exportFolder());
            Path examples = arguments.exportFolder().resolve(job.examples());
            EngineTraining training = new EngineTraining(
                    new EngineOptions(arguments.device(), arguments.threads()), arguments.referenceBatchPairs());
            EngineTraining.Events listener = new Events(events, arguments.exportFolder());
            EngineTraining.Outcome outcome = job.kind() == TrainingKind.SFT
                    ? training.sft(job, ExportedExamples.readSft(examples), listener)
                    : training.dpo(job, ExportedExamples.readPairs(examples), listener);
            events.println(ProgressLines.finished(
                    outcome.result().steps(),
                    JobProgress.summary(
                            outcome.result().last(), outcome.result().resumedFromStep(), outcome.examples())));
            return 0;
        } catch (InvalidTrainingJobException e) {
            events.println(ProgressLines.failed(e.getMessage(), e.field()));
            return 2;
        } catch (ExportFormatException e) {
            events.println(ProgressLines.failed(e.getMessage(), "export"));
            return 2;
        } catch (RuntimeException | OutOfMemoryError e) {
            e.printStackTrace();
            events.println(ProgressLines.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), null));
            return 1;
        }
    }

    /** A child whose parent died must not train on beside the parent's next attempt: its stdin closes, it exits. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(
                () -> {
                    try (InputStream in = System.in) {
                        while (in.read() != -1) {
                            // the parent writes nothing; only the end of the stream matters
                        }
                    } catch (IOException e) {
                        // a broken pipe means the same as the end
                    }
                    System.err.println("the trainer-service that started this process is gone; stopping");
                    Runtime.getRuntime().halt(3);
                },
                "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Steps and checkpoints as progress lines; computed reference values into the export folder. */
    private record Events(PrintStream out, Path exportFolder) implements EngineTraining.Events {

        @Override
        public void started(int totalSteps, int examples, String description) {
            out.println(ProgressLines.started(totalSteps, examples, description));
        }

        @Override
        public void referenceComputed(List<double[]> values) {
            ExportedExamples.writeReference(exportFolder.resolve(JobExport.REFERENCE_FILE), values);
        }

        @Override
        public void onStep(StepMetrics metrics) {
            out.println(ProgressLines.step(metrics.asMap()));
        }

        @Override
        public void onCheckpoint(int step) {
            out.println(ProgressLines.checkpointed(step));
        }
    }
}
