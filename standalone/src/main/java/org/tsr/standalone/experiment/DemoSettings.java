package org.tsr.standalone.experiment;

import java.nio.file.Path;
import java.util.List;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.standalone.console.UserError;

/**
 * What {@code tsr demo} runs.
 *
 * @param methods the methods to compare, each from the same M0 and prompts
 * @param judges who judges in each method's run: one run per method and judge
 * @param seeds how many seeds, from {@code firstSeed} on; each seed has its own suite, base model and M0
 * @param promptsPerFamily iteration prompts per task family in each chunk
 * @param evalPerFamily held-out prompts per family
 * @param iftPerFamily IFT examples per family for M0's SFT
 * @param eftPerFamily EFT (judge) examples per family for M0's SFT
 * @param sftEpochs epochs of M0's SFT
 * @param samples K responses per prompt
 * @param judgeSamples judge samples per response, averaged
 * @param nllWeight weight of the NLL term on the chosen response in every DPO update (0: plain DPO)
 * @param dbUrl a PostgreSQL to use, or null for an embedded one
 * @param port the gateway's port; the generator, judge, pairing and trainer services take the four after it
 */
public record DemoSettings(
        Path out,
        List<Method> methods,
        List<Judge> judges,
        int srIterations,
        int tsrIterations,
        int seeds,
        long firstSeed,
        ModelSize model,
        int promptsPerFamily,
        int evalPerFamily,
        int iftPerFamily,
        int eftPerFamily,
        int sftEpochs,
        int samples,
        int judgeSamples,
        double nllWeight,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int port,
        TrainingExecutor trainer) {

    public enum Method {
        SR,
        TSR
    }

    /**
     * Who judges a run's responses: the policy itself, M0 kept frozen, the suite's oracle (a control), or the oracle
     * with noise of a nominal accuracy (a judge of known quality).
     *
     * @param accuracy the noisy oracle's nominal accuracy; null for the other kinds
     * @param expectedScore a model judge (self, frozen) scores by the expected score digit instead of the written one
     */
    public record Judge(Kind kind, Double accuracy, boolean expectedScore) {

        public enum Kind {
            SELF,
            FROZEN,
            ORACLE,
            NOISY
        }

        /**
         * Reads {@code self}, {@code frozen}, {@code oracle} or {@code noisy:<p>} with p in [0, 1]; {@code self} and
         * {@code frozen} take {@code :expected} for expected-score judging.
         */
        public static Judge parse(String text) {
            String name = text.strip().toLowerCase(java.util.Locale.ROOT);
            if (name.equals("self:expected") || name.equals("frozen:expected")) {
                return new Judge(parse(name.substring(0, name.indexOf(':'))).kind(), null, true);
            }
            if (name.startsWith("noisy:")) {
                double accuracy;
                try {
                    accuracy = Double.parseDouble(name.substring("noisy:".length()));
                } catch (NumberFormatException e) {
                    accuracy = Double.NaN;
                }
                if (!(accuracy >= 0 && accuracy <= 1)) {
                    throw new UserError("--judges: noisy:<p> needs an accuracy p between 0 and 1, got '" + text + "'");
                }
                return new Judge(Kind.NOISY, accuracy, false);
            }
            try {
                Kind kind = Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT));
                if (kind != Kind.NOISY) {
                    return new Judge(kind, null, false);
                }
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
            throw new UserError(
                    "--judges takes self, frozen, oracle, noisy:<p>, self:expected and frozen:expected, got '" + text
                            + "'");
        }

        /** The judge's name in reports and summary.json: self, frozen, oracle, noisy:<p> or self:expected. */
        String label() {
            if (kind == Kind.NOISY) {
                return "noisy:"
                        + new java.math.BigDecimal(Double.toString(accuracy))
                                .stripTrailingZeros()
                                .toPlainString();
            }
            return kind.name().toLowerCase(java.util.Locale.ROOT) + (expectedScore ? ":expected" : "");
        }

        /** How a run is named in the report: "SR" for the self-judge, "SR, oracle judge" otherwise. */
        String label(Method method) {
            return label().equals("self") ? method.name() : method.name() + ", " + label() + " judge";
        }
    }

    int iterations(Method method) {
        return method == Method.SR ? srIterations : tsrIterations;
    }

    /** Chunks the suite needs: one per iteration of the longest run. */
    int chunks() {
        return methods.stream().mapToInt(this::iterations).max().orElse(1);
    }
}
