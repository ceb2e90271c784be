package org.tsr.gateway.report;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Everything a run measured, per iteration: the held-out evaluation of the generation it trained, how well its judge
 * agreed with the oracle, the pair datasets' diagnostics, the DPO jobs' last metrics, and where the wall time went.
 *
 * @param initialEvaluation M0 on the held-out set, when the run evaluates
 */
public record RunReport(
        long runId,
        String name,
        String method,
        String status,
        String failureReason,
        long initialGenerationId,
        JsonNode initialEvaluation,
        List<IterationReport> iterations) {

    /**
     * @param pairs per dataset (SR, D1, D2): pair count, mean chosen and rejected scores, their gap, sources, lengths
     *     and hidden-state similarity, as the pairing-service recorded them
     * @param training the iteration's DPO jobs in the order they ran (TSR: the future model, then the next policy)
     * @param phases per phase, its wall seconds and how much of it passed with none of its work units running
     */
    public record IterationReport(
            int index,
            String status,
            Long policyGenerationId,
            Long nextGenerationId,
            JsonNode evaluation,
            JsonNode judge,
            JsonNode pairs,
            List<TrainingReport> training,
            Map<String, PhaseTime> phases,
            Compute compute) {}

    /**
     * What an iteration spent. Sampling counts the responses the iteration sampled to build pairs (from the policy,
     * and in TSR also from M0 and the future model), evaluation the greedy answers on the held-out set; judging
     * counts the judgments of those sampled responses and the tokens a model judge read and wrote for them (0 when
     * the oracle judged).
     */
    public record Compute(
            long responsesSampled,
            long tokensSampled,
            long tokensEvaluated,
            long judgments,
            long judgePromptTokens,
            long judgeCompletionTokens,
            int dpoSteps) {

        public long tokensJudged() {
            return judgePromptTokens + judgeCompletionTokens;
        }
    }

    /**
     * A DPO job: the dataset it trained on, the generation it made, where it trained and its last logged metrics.
     *
     * @param executor embedded, process, kubernetes-job or kubeflow; null until the job started
     * @param workload the Kubernetes Job or TrainJob that trained it, if any
     */
    public record TrainingReport(
            String dataset,
            String role,
            Long generationId,
            String status,
            int steps,
            String executor,
            String workload,
            JsonNode metrics) {}

    /**
     * @param wallSeconds from entering the phase to leaving it
     * @param outsideUnitsSeconds the part of it when none of the phase's units was running: queue pick-up, phase
     *     changes, the conductor's tick; the platform's own share of the phase
     */
    public record PhaseTime(double wallSeconds, double outsideUnitsSeconds) {}
}
