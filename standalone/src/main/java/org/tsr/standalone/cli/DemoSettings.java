package org.tsr.standalone.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code tsr demo} runs.
 *
 * @param methods the methods to compare, each from the same M0 and prompts
 * @param judges who judges in each method's run: one run per method and judge
 * @param seeds how many seeds, from {@code firstSeed} on; each seed has its own suite, base model and M0
 * @param promptsPerFamily iteration prompts per task family in each chunk
 * @param evalPerFamily held-out prompts per family
 * @param seedDataPerFamily IFT examples, and as many EFT examples, per family for M0's SFT
 * @param sftEpochs epochs of M0's SFT
 * @param samples K responses per prompt
 * @param judgeSamples judge samples per response, averaged
 * @param dbUrl a PostgreSQL to use, or null for an embedded one
 * @param port the gateway's port; the generator, judge, pairing and trainer services take the four after it
 */
record DemoSettings(
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
        int seedDataPerFamily,
        int sftEpochs,
        int samples,
        int judgeSamples,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int port) {

    enum Method {
        SR,
        TSR
    }

    /** Who judges a run's responses: the policy itself, M0 kept frozen, or the suite's oracle (a control). */
    enum Judge {
        SELF,
        FROZEN,
        ORACLE;

        /** How a run is named in the report: "SR" for the self-judge, "SR, oracle judge" otherwise. */
        String label(Method method) {
            return this == SELF ? method.name() : method.name() + ", " + name().toLowerCase() + " judge";
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
