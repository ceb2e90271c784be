package org.tsr.standalone.report;

import java.util.Locale;

/** The report's Markdown tables read from the summary: the final win rate per method and judge, and each run's compute. */
final class SummaryTables {

    private SummaryTables() {}

    /** Each method and judge over its seeds: the measured judge accuracy, the final win rate and its interval. */
    static String finalWinRates(ExperimentSummary summary) {
        StringBuilder table =
                new StringBuilder("| method | judge | judge accuracy | seeds | final win rate | 95% interval |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (ExperimentSummary.Group group : summary.groups()) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %s | %s |%n",
                    group.method(),
                    group.judge(),
                    formatted(group.judgeAccuracy()),
                    group.seeds(),
                    formatted(group.finalWinRate()),
                    group.ci95() == null
                            ? "n/a"
                            : "[" + formatted(group.ci95().get(0)) + ", "
                                    + formatted(group.ci95().get(1)) + "]"));
        }
        return table.toString();
    }

    /** Each run's spending: DPO steps, tokens sampled and judged, wall time; SR and TSR compared at equal DPO models. */
    static String compute(ExperimentSummary summary) {
        StringBuilder table =
                new StringBuilder("| method | judge | seed | DPO steps | tokens sampled | tokens judged | seconds |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (ExperimentSummary.RunSummary run : summary.runs()) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %d | %.0f |%n",
                    run.method(),
                    run.judge(),
                    run.seed(),
                    run.dpoSteps(),
                    run.tokensSampled(),
                    run.tokensJudged(),
                    run.seconds()));
        }
        table.append("\nSR and TSR train the same number of DPO models (SR one per iteration, TSR two), not the same"
                + " compute: each TSR iteration also samples K responses from M0 (the anchor) and from the future"
                + " model, and its judge scores all of them, so TSR samples and judges more per DPO model. Tokens"
                + " judged count what a model judge read and wrote (0 for the oracle and the noisy oracles, which"
                + " use no model).\n");
        return table.toString();
    }

    /** A figure to three decimals, "n/a" when it was not measured. */
    private static String formatted(Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }
}
