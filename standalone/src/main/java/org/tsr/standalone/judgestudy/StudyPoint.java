package org.tsr.standalone.judgestudy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsr.tasks.JudgeAgreement;

/**
 * The figures of one grid point of the judge study (model size, EFT examples per family, recipe): how often M0's
 * self-judge orders pairs of its own samples to one held-out prompt the way the oracle does, per family and overall.
 * Saved as it is in {@code study.json}.
 *
 * @param families agreement per family, in the order the families first appear
 * @param overall agreement over every family's pairs, each pair weighing the same
 * @param responses responses sampled (held-out prompts times K)
 * @param judged responses the judge gave at least one valid score
 * @param meanOracle the mean oracle grade of M0's samples
 * @param seconds the point's wall time, from registering its suite to its last judgment
 */
record StudyPoint(
        String size,
        int eftPerFamily,
        String recipe,
        Map<String, JudgeAgreement.Result> families,
        JudgeAgreement.Result overall,
        int responses,
        int judged,
        double meanOracle,
        double seconds) {

    /** The share of pairs a useful judge must order right (DESIGN.md section 4: gains need about 90%). */
    static final double BAR = 0.90;

    /** Groups the samples by family and prompt and measures the judge's agreement with the oracle. */
    static StudyPoint measure(
            String size, int eftPerFamily, String recipe, List<JudgedSample> samples, double seconds) {
        Map<String, Map<String, List<JudgeAgreement.Scored>>> byFamily = new LinkedHashMap<>();
        int judged = 0;
        double oracleSum = 0;
        for (JudgedSample sample : samples) {
            byFamily.computeIfAbsent(sample.family(), f -> new LinkedHashMap<>())
                    .computeIfAbsent(sample.prompt(), p -> new ArrayList<>())
                    .add(new JudgeAgreement.Scored(sample.judge(), sample.oracle()));
            if (sample.judge() != null) {
                judged++;
            }
            oracleSum += sample.oracle();
        }
        Map<String, JudgeAgreement.Result> families = new LinkedHashMap<>();
        JudgeAgreement.Result overall = new JudgeAgreement.Result(0, Double.NaN);
        for (Map.Entry<String, Map<String, List<JudgeAgreement.Scored>>> family : byFamily.entrySet()) {
            JudgeAgreement.Result result =
                    JudgeAgreement.ofPrompts(List.copyOf(family.getValue().values()));
            families.put(family.getKey(), result);
            overall = overall.plus(result);
        }
        return new StudyPoint(
                size,
                eftPerFamily,
                recipe,
                families,
                overall,
                samples.size(),
                judged,
                samples.isEmpty() ? Double.NaN : oracleSum / samples.size(),
                seconds);
    }

    /** Whether some family's agreement reaches the bar. */
    boolean reachesBar() {
        return families.values().stream().anyMatch(r -> r.pairs() > 0 && r.agreement() >= BAR);
    }

    /** The points by size (smallest first), then EFT budget, then recipe. */
    static List<StudyPoint> ordered(List<StudyPoint> points) {
        List<String> sizes = List.of("tiny", "small", "medium");
        return points.stream()
                .sorted(Comparator.comparingInt((StudyPoint p) -> {
                            int known = sizes.indexOf(p.size());
                            return known < 0 ? sizes.size() : known;
                        })
                        .thenComparing(StudyPoint::size)
                        .thenComparingInt(StudyPoint::eftPerFamily)
                        .thenComparing(StudyPoint::recipe))
                .toList();
    }

    /**
     * Half the width of a 95% interval of an agreement over {@code pairs} pairs (normal approximation to the
     * binomial; pairs of one prompt are not independent, so it is on the narrow side).
     */
    static double halfWidth(JudgeAgreement.Result result) {
        if (result.pairs() == 0 || Double.isNaN(result.agreement())) {
            return Double.NaN;
        }
        double p = result.agreement();
        return 1.96 * Math.sqrt(p * (1 - p) / result.pairs());
    }
}
