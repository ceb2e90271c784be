package org.tsr.engine.training;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.LinearModule;
import org.tsr.engine.model.LoraAdapters;

/**
 * Train LoRA adapters instead of every weight: the base weights stay frozen, the optimizer, clipping and the stability
 * guard see only the adapters, a DPO reference is the base with the adapters off, and the saved model has them merged.
 *
 * @param rank r, the inner dimension of every adapter
 * @param alpha the adapters' output is scaled by alpha / rank
 * @param dropout the share of each adapter's inputs dropped in training passes
 * @param targetModules the projections of every layer that get an adapter
 */
public record LoraOptions(int rank, double alpha, double dropout, Set<LinearModule> targetModules) {

    public LoraOptions {
        if (rank < 1) {
            throw new InvalidTrainingOptionException("lora.rank", "lora.rank must be >= 1, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new InvalidTrainingOptionException("lora.alpha", "lora.alpha must be > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidTrainingOptionException("lora.dropout", "lora.dropout must be in [0, 1), got " + dropout);
        }
        if (targetModules == null || targetModules.isEmpty()) {
            throw new InvalidTrainingOptionException(
                    "lora.targetModules", "lora.targetModules must name at least one module");
        }
        targetModules = Set.copyOf(targetModules);
    }

    /** PEFT's usual start for Llama: rank 8, alpha 16, dropout 0.05 on q_proj and v_proj. */
    public static LoraOptions defaults() {
        return new LoraOptions(8, 16, 0.05, EnumSet.of(LinearModule.Q_PROJ, LinearModule.V_PROJ));
    }

    /**
     * @param targetModules Hugging Face module names ({@code q_proj} ... {@code down_proj})
     */
    public static LoraOptions of(int rank, double alpha, double dropout, Collection<String> targetModules) {
        List<LinearModule> modules = new ArrayList<>();
        for (String name : targetModules == null ? List.<String>of() : targetModules) {
            try {
                modules.add(LinearModule.fromHfName(name));
            } catch (IllegalArgumentException e) {
                throw new InvalidTrainingOptionException("lora.targetModules", "lora.targetModules: " + e.getMessage());
            }
        }
        return new LoraOptions(rank, alpha, dropout, modules.isEmpty() ? Set.of() : EnumSet.copyOf(modules));
    }

    /** Attaches fresh adapters to {@code model}, A drawn by {@code seed} and B zero. */
    public LoraAdapters attachTo(LanguageModel model, long seed) {
        return LoraAdapters.attach(model.network(), model.manager(), rank, alpha, dropout, targetModules, seed);
    }
}
