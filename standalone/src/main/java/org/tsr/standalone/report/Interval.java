package org.tsr.standalone.report;

import java.util.List;
import java.util.Locale;

/**
 * A mean and the half-width of its 95% confidence interval: over seeds (Student's t) when made by {@link #of}, where a
 * single value has no interval. Numbers are written the same in every locale.
 */
public record Interval(double mean, double halfWidth, int n) {

    /** Two-sided 97.5% quantiles of Student's t for 1 to 10 degrees of freedom. */
    private static final double[] T = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};

    static Interval of(List<Double> values) {
        List<Double> finite =
                values.stream().filter(v -> v != null && Double.isFinite(v)).toList();
        int n = finite.size();
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, 0);
        }
        double mean = finite.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (n == 1) {
            return new Interval(mean, 0, 1);
        }
        double variance =
                finite.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (n - 1);
        double t = n - 1 <= T.length ? T[n - 2] : 1.96;
        return new Interval(mean, t * Math.sqrt(variance / n), n);
    }

    boolean present() {
        return n > 0;
    }

    double low() {
        return mean - halfWidth;
    }

    double high() {
        return mean + halfWidth;
    }

    String format(String pattern) {
        if (!present()) {
            return "n/a";
        }
        String text = String.format(Locale.ROOT, pattern, mean);
        return n > 1 ? text + " ± " + String.format(Locale.ROOT, pattern, halfWidth) : text;
    }
}
