package org.tsr.standalone.judgestudy;

import java.util.List;

/**
 * One sampled response to a held-out prompt, judged by the self-judge and graded by the oracle.
 *
 * @param judge the self-judge's mean score, null when none of its judgments had a score
 * @param oracle the oracle's grade, 1 to 5
 * @param judgments the texts the self-judge wrote, one per judgment
 */
record JudgedSample(String family, String prompt, String response, Double judge, int oracle, List<String> judgments) {

    JudgedSample {
        judgments = List.copyOf(judgments);
    }
}
