package org.tsr.gateway.orchestration;

import java.util.List;
import org.tsr.store.run.IterationPhase;
import org.tsr.store.run.RunMethod;

/**
 * The phases of one iteration. SR: sample the policy, judge, pair best against worst, train. TSR: sample the policy
 * and the anchor M0, judge, pair with anchored rejection (D1), train the future model on D1, sample it, judge its
 * responses with the current policy, pair with future-guided chosen (D2), and train the next policy on D2. Both end by evaluating the generation they
 * trained (and, in the first iteration, M0) on the held-out set, a phase with no work when the run does not evaluate,
 * and by a judge's pairwise comparison of those responses with M0's, a phase with no work unless the run names a
 * pairwise judge.
 */
public final class PhasePlan {

    private static final List<IterationPhase> SR = List.of(
            IterationPhase.GENERATING,
            IterationPhase.JUDGING,
            IterationPhase.PAIRING,
            IterationPhase.TRAINING,
            IterationPhase.EVALUATING,
            IterationPhase.JUDGING_EVALUATION,
            IterationPhase.DONE);

    private static final List<IterationPhase> TSR = List.of(
            IterationPhase.GENERATING,
            IterationPhase.JUDGING,
            IterationPhase.PAIRING,
            IterationPhase.TRAINING_FUTURE,
            IterationPhase.GENERATING_FUTURE,
            IterationPhase.JUDGING_FUTURE,
            IterationPhase.PAIRING_FUTURE,
            IterationPhase.TRAINING,
            IterationPhase.EVALUATING,
            IterationPhase.JUDGING_EVALUATION,
            IterationPhase.DONE);

    private PhasePlan() {}

    /** Iteration 0 of a bootstrapped run trains M0 first; every other iteration starts by sampling. */
    static IterationPhase first(boolean bootstrap, int iterationIndex) {
        return bootstrap && iterationIndex == 0 ? IterationPhase.BOOTSTRAPPING : IterationPhase.GENERATING;
    }

    static IterationPhase after(RunMethod method, IterationPhase phase) {
        if (phase == IterationPhase.BOOTSTRAPPING) {
            return IterationPhase.GENERATING;
        }
        List<IterationPhase> plan = method == RunMethod.SR ? SR : TSR;
        int index = plan.indexOf(phase);
        if (index < 0 || index == plan.size() - 1) {
            throw new IllegalArgumentException(method + " has no phase after " + phase);
        }
        return plan.get(index + 1);
    }

    /** The key prefix of the work units a phase creates for an iteration. */
    public static String unitKeyPrefix(long iterationId, IterationPhase phase) {
        return "iteration-" + iterationId + "/" + phase.name() + "/";
    }
}
