package org.tsr.engine.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one optimizer step did, named in {@link #asMap()} as TRL logs it. The reward fields are null for
 * objectives without pairs.
 *
 * @param step optimizer steps done, this one included
 * @param skipped the step's loss, gradient or updated parameters were not finite: its update was not kept, the
 *     parameters were restored from the last good snapshot and AdamW started over
 * @param nonFiniteSteps steps skipped so far in the run
 * @param nonFinite what was not finite on a skipped step: {@code loss}, {@code gradient} or {@code parameter NAME
 *     after the update}; null otherwise
 * @param restoredStep on a skipped step, the step whose parameters were restored (0: those the run started with)
 */
public record StepMetrics(
        int step,
        int totalSteps,
        double epoch,
        double loss,
        double gradNorm,
        double learningRate,
        long tokens,
        double tokensPerSecond,
        boolean skipped,
        int nonFiniteSteps,
        String nonFinite,
        Integer restoredStep,
        Double rewardsChosen,
        Double rewardsRejected,
        Double rewardsMargins,
        Double rewardsAccuracies,
        Double logpsChosen,
        Double logpsRejected) {

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("step", step);
        map.put("total_steps", totalSteps);
        map.put("epoch", epoch);
        map.put("loss", finiteOrNull(loss));
        map.put("grad_norm", finiteOrNull(gradNorm));
        map.put("learning_rate", learningRate);
        map.put("tokens", tokens);
        map.put("tokens_per_second", tokensPerSecond);
        map.put("non_finite_steps", nonFiniteSteps);
        if (skipped) {
            map.put("non_finite", nonFinite);
            map.put("restored_step", restoredStep);
        }
        if (rewardsChosen != null) {
            map.put("rewards/chosen", rewardsChosen);
            map.put("rewards/rejected", rewardsRejected);
            map.put("rewards/margins", rewardsMargins);
            map.put("rewards/accuracies", rewardsAccuracies);
            map.put("logps/chosen", logpsChosen);
            map.put("logps/rejected", logpsRejected);
        }
        return map;
    }

    /** JSON has no NaN: a skipped step's loss is written as null. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
