package org.tsr.tasks;

import java.util.List;

/**
 * How often a judge orders pairs of responses to one prompt the way a reference (the oracle) does. Only pairs the
 * reference tells apart count; a pair the judge scores equal counts half, as a coin flip would.
 */
public final class JudgeAgreement {

    private JudgeAgreement() {}

    /** One judged response: the judge's (mean) score, null when it gave none, and the reference's score. */
    public record Scored(Double judge, double reference) {}

    /**
     * @param pairs the pairs the reference tells apart and the judge scored both of
     * @param agreement the share of those the judge orders alike, NaN when there are none
     */
    public record Result(long pairs, double agreement) {

        public Result plus(Result other) {
            long total = pairs + other.pairs;
            if (total == 0) {
                return new Result(0, Double.NaN);
            }
            double agreeing =
                    (pairs == 0 ? 0 : agreement * pairs) + (other.pairs == 0 ? 0 : other.agreement * other.pairs);
            return new Result(total, agreeing / total);
        }
    }

    /** Agreement over the responses to one prompt. */
    public static Result ofPrompt(List<Scored> responses) {
        long pairs = 0;
        double agreeing = 0;
        for (int i = 0; i < responses.size(); i++) {
            for (int j = i + 1; j < responses.size(); j++) {
                Scored a = responses.get(i);
                Scored b = responses.get(j);
                if (a.judge() == null || b.judge() == null || a.reference() == b.reference()) {
                    continue;
                }
                pairs++;
                double judged = Math.signum(a.judge() - b.judge());
                if (judged == 0) {
                    agreeing += 0.5;
                } else if (judged == Math.signum(a.reference() - b.reference())) {
                    agreeing += 1;
                }
            }
        }
        return new Result(pairs, pairs == 0 ? Double.NaN : agreeing / pairs);
    }

    /** Agreement over many prompts, each pair weighing the same. */
    public static Result ofPrompts(List<List<Scored>> prompts) {
        Result total = new Result(0, Double.NaN);
        for (List<Scored> prompt : prompts) {
            total = total.plus(ofPrompt(prompt));
        }
        return total;
    }
}
