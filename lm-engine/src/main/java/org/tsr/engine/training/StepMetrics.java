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

    /**
     * Reads a step back from the names {@link #asMap()} writes, which are TRL's too, so a trainer in another process
     * (the project's or TRL) reports its steps in the same terms. Missing numbers read as 0, missing rewards as null,
     * a missing loss as not finite.
     */
    public static StepMetrics fromMap(Map<String, ?> map) {
        boolean skipped = map.containsKey("non_finite") && map.get("non_finite") != null;
        return new StepMetrics(
                (int) number(map, "step", 0),
                (int) number(map, "total_steps", 0),
                number(map, "epoch", 0),
                number(map, "loss", Double.NaN),
                number(map, "grad_norm", Double.NaN),
                number(map, "learning_rate", 0),
                (long) number(map, "tokens", 0),
                number(map, "tokens_per_second", 0),
                skipped,
                (int) number(map, "non_finite_steps", 0),
                skipped ? String.valueOf(map.get("non_finite")) : null,
                map.get("restored_step") instanceof Number restored ? restored.intValue() : null,
                boxed(map, "rewards/chosen"),
                boxed(map, "rewards/rejected"),
                boxed(map, "rewards/margins"),
                boxed(map, "rewards/accuracies"),
                boxed(map, "logps/chosen"),
                boxed(map, "logps/rejected"));
    }

    private static double number(Map<String, ?> map, String name, double otherwise) {
        return map.get(name) instanceof Number value ? value.doubleValue() : otherwise;
    }

    private static Double boxed(Map<String, ?> map, String name) {
        return map.get(name) instanceof Number value ? value.doubleValue() : null;
    }

    /** JSON has no NaN: a skipped step's loss is written as null. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
