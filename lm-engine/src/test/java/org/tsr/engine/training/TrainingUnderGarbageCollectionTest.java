package org.tsr.engine.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.training.dpo.DpoLossType;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;
import org.tsr.engine.training.sft.SftObjective;

/**
 * A gradient must not depend on when the garbage collector runs. Each run here is trained twice, once quietly and
 * once while another thread asks for a collection every millisecond, and must end with bit-identical weights: a
 * constant that autograd keeps for the backward pass in memory the collector can free (DJL's
 * {@code NDArray.mul(Number)} does that) makes the second run's gradients garbage.
 */
class TrainingUnderGarbageCollectionTest {

    private static final TrainingOptions OPTIONS = TrainingOptions.builder()
            .learningRate(1e-3, 1e-4)
            .batches(2, 2, 2)
            .regularisation(0.01, 1.0)
            .seed(3)
            .build();

    @TempDir
    Path dir;

    @Test
    void dpoWithLabelSmoothingAndTheNllTermTrainsAlikeWhileTheCollectorRuns() {
        DpoOptions dpo = new DpoOptions(0.1, DpoLossType.SIGMOID, 0.1, 0.5, false);
        assertCollectionChangesNothing(model -> trainDpo(model, dpo));
    }

    @Test
    void hingeDpoOnLoraAdaptersWithDropoutTrainsAlikeWhileTheCollectorRuns() {
        DpoOptions hinge = new DpoOptions(0.1, DpoLossType.HINGE, 0, 0, true);
        assertCollectionChangesNothing(model -> {
            LoraTrainingTest.LORA.attachTo(model, 7);
            trainDpo(model, hinge);
        });
    }

    @Test
    void sftTrainsAlikeWhileTheCollectorRuns() {
        assertCollectionChangesNothing(model -> new Trainer<>(model, new SftObjective(model), OPTIONS)
                .train(TrainingFixtures.sortingExamples(model), TrainingListener.NONE, null));
    }

    private void assertCollectionChangesNothing(Consumer<LanguageModel> training) {
        Path base = TrainingFixtures.tinyModel(dir.resolve("m0"));
        Function<Boolean, Map<String, float[]>> run = collecting -> {
            try (LanguageModel model = TrainingFixtures.load(base);
                    Collector collector = collecting ? Collector.start() : null) {
                training.accept(model);
                return TrainingFixtures.weights(model);
            }
        };
        Map<String, float[]> quiet = run.apply(false);
        TrainingFixtures.assertSameWeights(run.apply(true), quiet);
    }

    private static void trainDpo(LanguageModel model, DpoOptions options) {
        List<PreferenceExample> pairs = ReferenceLogProbs.compute(model, TrainingFixtures.sortingPairs(model), 8);
        new Trainer<>(model, new DpoObjective(model, options), OPTIONS).train(pairs, TrainingListener.NONE, null);
    }

    /** A thread that requests a full collection every millisecond until closed. */
    private static final class Collector implements AutoCloseable {

        private final Thread thread;

        private Collector(Thread thread) {
            this.thread = thread;
        }

        static Collector start() {
            Thread thread = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    System.gc();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
            return new Collector(thread);
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
