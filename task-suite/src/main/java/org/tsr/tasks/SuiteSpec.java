package org.tsr.tasks;

import java.util.List;

/**
 * How much of each split the suite generates, per family.
 *
 * @param seed every prompt follows from it; a split's prompts do not change when another split's size does
 * @param families the built-in families to include
 * @param iftPerFamily instruction examples (prompt and answer) for M0's SFT
 * @param eftPerFamily judge examples (a response of mixed quality, a reason and its score) for M0's SFT
 * @param chunks how many disjoint iteration chunks
 * @param chunkPerFamily prompts per family in each chunk
 * @param evalPerFamily held-out evaluation prompts
 */
public record SuiteSpec(
        long seed,
        List<String> families,
        int iftPerFamily,
        int eftPerFamily,
        int chunks,
        int chunkPerFamily,
        int evalPerFamily) {

    public SuiteSpec {
        families = List.copyOf(families);
        if (families.isEmpty()) {
            throw new IllegalArgumentException("the suite needs at least one family");
        }
        for (String family : families) {
            if (Oracle.family(family).isEmpty()) {
                throw new IllegalArgumentException(
                        "unknown task family '" + family + "'; the built-in ones are " + Oracle.familyNames());
            }
        }
        if (iftPerFamily < 0 || eftPerFamily < 0 || chunks < 1 || chunkPerFamily < 1 || evalPerFamily < 0) {
            throw new IllegalArgumentException("split sizes must be positive (IFT and EFT and EVAL may be 0)");
        }
    }

    /** The default experiment's suite: every family, sizes that keep M0 a mediocre generator and judge. */
    public static SuiteSpec standard(long seed, int chunks) {
        return new SuiteSpec(seed, Oracle.familyNames(), 150, 150, chunks, 32, 32);
    }
}
