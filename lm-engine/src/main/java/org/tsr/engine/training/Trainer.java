package org.tsr.engine.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.model.Scalars;

/**
 * The training loop shared by SFT and DPO: shuffled batches by seed, gradient accumulation, global-norm
 * clipping, AdamW under a warm-up and decay schedule, a stability guard, metrics per step and resumable
 * training checkpoints. The model's weights are updated in place.
 *
 * <p>The guard: a step whose loss or gradient is not finite, or that leaves a parameter non-finite, is rolled back
 * to the last good snapshot of the trainable parameters (taken every {@link TrainingOptions#snapshotEvery()} good
 * steps, before their update), AdamW starts over with fresh moments, and the step is counted; too many in a row
 * fail the run.
 *
 * <p>With LoRA adapters on the model ({@link LoraOptions#attachTo}), only the adapters train: the optimizer, the
 * clipping norm, the snapshots and the training checkpoints cover them alone, and their dropout is on for the
 * training passes.
 */
public final class Trainer<T> {

    /** DJL allows one open gradient collector per JVM; runs in one process take turns per forward pass. */
    private static final ReentrantLock COLLECTOR = new ReentrantLock();

    private final LanguageModel model;
    private final Objective<T> objective;
    private final TrainingOptions options;

    public Trainer(LanguageModel model, Objective<T> objective, TrainingOptions options) {
        this.model = model;
        this.objective = objective;
        this.options = options;
    }

    /**
     * Trains on {@code examples}, resuming from the training checkpoint in {@code checkpointDir} when there is
     * one (null: no checkpoints).
     *
     * @throws NonFiniteLossException when {@link TrainingOptions#maxConsecutiveNonFiniteSteps()} steps in a
     *     row were not finite (the parameters are then those of the last good snapshot), or when a trainable
     *     parameter is not finite to begin with
     */
    public TrainingResult train(List<T> examples, TrainingListener listener, Path checkpointDir) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("nothing to train on: the dataset is empty");
        }
        if (model.network().computesInBfloat16()) {
            throw new IllegalStateException("this model was loaded for bfloat16 inference, whose weight copies training"
                    + " would leave stale; load it with FLOAT32 precision to train it");
        }
        int totalSteps = options.totalSteps(examples.size());
        LearningRateSchedule schedule = LearningRateSchedule.of(options, totalSteps);
        TrainerState state = TrainerState.fresh(examples.size(), options.seed());
        Optional<TrainingCheckpoint> checkpoint =
                checkpointDir == null ? Optional.empty() : TrainingCheckpoint.find(checkpointDir);
        if (checkpoint.isPresent()) {
            TrainerState saved = checkpoint.get().state();
            if (saved.examples() != examples.size() || saved.seed() != options.seed()) {
                throw new IllegalStateException("the training checkpoint in " + checkpointDir + " is of a run over "
                        + saved.examples() + " examples with seed " + saved.seed() + ", not " + examples.size()
                        + " with seed " + options.seed());
            }
            checkpoint.get().restoreWeights(model);
            state = saved;
        }
        int resumedFrom = state.step();
        TrainableParameters parameters = TrainableParameters.of(model.network());
        StepMetrics last = null;
        try (AdamW optimizer = new AdamW(model.manager(), parameters, options);
                ParameterSnapshot snapshot = new ParameterSnapshot(model.manager(), parameters)) {
            checkpoint.ifPresent(saved -> saved.restoreOptimizer(optimizer));
            Optional<String> broken = parameters.firstNonFinite();
            if (broken.isPresent()) {
                throw new NonFiniteLossException("parameter " + broken.get() + " is not finite before the first step"
                        + (checkpoint.isPresent() ? " (restored from the training checkpoint)" : "")
                        + ": there are no good parameters to roll back to");
            }
            snapshot.take(state.step());
            while (state.step() < totalSteps) {
                double learningRate = schedule.at(state.step());
                StepOutcome outcome = runStep(examples, state.step(), parameters);
                if (outcome.finite()) {
                    // these parameters gave a finite loss and gradient: a step that goes wrong later rolls back here
                    if (state.step() - snapshot.step() >= options.snapshotEvery()) {
                        snapshot.take(state.step());
                    }
                    double scale = options.maxGradNorm() > 0 && outcome.gradNorm() > options.maxGradNorm()
                            ? options.maxGradNorm() / (outcome.gradNorm() + 1e-6)
                            : 1.0;
                    optimizer.step(learningRate, scale);
                    parameters.firstNonFinite().ifPresent(outcome::parameterNotFinite);
                }
                parameters.zeroGradients();
                if (outcome.finite()) {
                    state = state.updated(optimizer.steps());
                } else {
                    snapshot.restore();
                    optimizer.restart();
                    outcome.restored(snapshot.step());
                    state = state.rolledBack();
                }
                last = outcome.metrics(state, totalSteps, options.stepsPerEpoch(examples.size()), learningRate);
                listener.onStep(last);
                if (state.consecutiveNonFinite() >= options.maxConsecutiveNonFiniteSteps()) {
                    throw new NonFiniteLossException("the " + outcome.nonFinite() + " was not finite on "
                            + state.consecutiveNonFinite() + " steps in a row (up to step " + state.step()
                            + "); each time the parameters of step " + snapshot.step()
                            + " were restored and AdamW started over; the run stopped with those parameters");
                }
                if (checkpointDir != null
                        && options.checkpointEvery() > 0
                        && state.step() % options.checkpointEvery() == 0
                        && state.step() < totalSteps) {
                    TrainingCheckpoint.write(checkpointDir, model, optimizer, state);
                    listener.onCheckpoint(state.step());
                }
            }
        }
        return new TrainingResult(state.step(), state.nonFiniteSteps(), resumedFrom, last);
    }

    private StepOutcome runStep(List<T> examples, int step, TrainableParameters parameters) {
        int stepsPerEpoch = options.stepsPerEpoch(examples.size());
        List<Integer> order = epochOrder(examples.size(), step / stepsPerEpoch);
        int perStep = options.batchSize() * options.gradientAccumulationSteps();
        int from = (step % stepsPerEpoch) * perStep;
        int to = Math.min(order.size(), from + perStep);
        StepOutcome outcome = new StepOutcome(System.nanoTime());
        for (int start = from; start < to && outcome.finite(); start += options.batchSize()) {
            List<T> batch = new ArrayList<>();
            for (int i = start; i < Math.min(to, start + options.batchSize()); i++) {
                batch.add(examples.get(order.get(i)));
            }
            // each pass weighs in by its share of the step's examples, so the step's loss is their mean
            float weight = (float) batch.size() / (to - from);
            // dropout draws depend on the seed, the step and the pass only, so a resumed run repeats them
            long passSeed = (options.seed() * 1_000_003L + step) * 1_009L + start;
            COLLECTOR.lock();
            try (NDManager manager = model.manager().newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector();
                    LoraAdapters.Scope training = model.network()
                            .lora()
                            .map(adapters -> adapters.trainingPass(passSeed))
                            .orElse(null)) {
                BatchLoss loss = objective.forward(manager, batch);
                float value = loss.loss().getFloat();
                outcome.add(loss, value, weight);
                if (Float.isFinite(value)) {
                    collector.backward(Scalars.times(loss.loss(), weight));
                }
            } finally {
                COLLECTOR.unlock();
            }
        }
        if (outcome.finite()) {
            outcome.gradNorm(parameters.globalGradientNorm());
        }
        return outcome;
    }

    private List<Integer> epochOrder(int size, int epoch) {
        List<Integer> order = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(options.seed() * 1_000_003L + epoch));
        return order;
    }
}
