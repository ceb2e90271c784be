package org.tsr.judge.rubric;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the score from a judge's text: the last "Score: n" in it, whatever the case, markdown emphasis or stray text
 * around it ("**Score:** 4", "score: 3.5/5", "Score = 2."). A judgment without one, or with a score outside the
 * rubric's range, has no score and says why.
 */
public final class ScoreParser {

    private static final Pattern SCORE =
            Pattern.compile("score\\s*\\**\\s*[:=]\\s*\\**\\s*(-?\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);

    private final double min;
    private final double max;

    public ScoreParser(double min, double max) {
        if (!(min < max)) {
            throw new IllegalArgumentException("the score range must have min < max, got " + min + " to " + max);
        }
        this.min = min;
        this.max = max;
    }

    /** The additive 5-point rubric gives 0 to 5 points. */
    public static ScoreParser fivePoint() {
        return new ScoreParser(0, 5);
    }

    public ParsedScore parse(String judgment) {
        Matcher matcher = SCORE.matcher(judgment == null ? "" : judgment);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        if (last == null) {
            return ParsedScore.failed("no 'Score: <n>' in the judgment");
        }
        double score = Double.parseDouble(last);
        if (score < min || score > max) {
            return ParsedScore.failed(String.format(
                    Locale.ROOT, "score %s is outside the rubric's range %s to %s", last, format(min), format(max)));
        }
        return ParsedScore.of(score);
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** A score, or the reason there is none. */
    public record ParsedScore(Double score, String failure) {

        public static ParsedScore of(double score) {
            return new ParsedScore(score, null);
        }

        public static ParsedScore failed(String reason) {
            return new ParsedScore(null, reason);
        }

        public boolean isValid() {
            return score != null;
        }
    }
}
