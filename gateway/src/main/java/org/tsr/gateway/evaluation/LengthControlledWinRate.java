package org.tsr.gateway.evaluation;

/**
 * The win rate a judge would give if both responses were equally long, after AlpacaEval 2's length-controlled win
 * rate (Dubois et al. 2024): a logistic regression of the judge's preference on the normalised length difference,
 * {@code P(win) = sigmoid(b0 + b1 * tanh(d / sd(d)))} with d the evaluated response's length minus the reference's,
 * read at d = 0, so {@code sigmoid(b0)}. The preferences may be fractional (a tie counts one half). The interval comes
 * from the sandwich (robust, HC1) variance of b0, mapped through the sigmoid; with fewer than three comparisons, no
 * spread among them, or a unanimous verdict, it is Wilson's score interval instead. An L2 penalty of 1 on the slope
 * keeps the fit finite when length alone separates wins from losses (it matters with few comparisons).
 *
 * @param value the length-controlled win rate
 * @param low lower end of its 95% interval
 * @param high upper end of its 95% interval
 * @param lengthSlope b1: how much the judge's preference moves with the length difference (0: not at all)
 */
record LengthControlledWinRate(double value, double low, double high, double lengthSlope) {

    private static final double Z95 = 1.959964;
    private static final double SLOPE_PENALTY = 1.0;
    private static final int MAX_ITERATIONS = 100;

    /**
     * @param preferences the evaluated response's share of each comparison, in [0, 1]
     * @param lengthDifferences its length minus the reference response's, one per comparison
     */
    static LengthControlledWinRate fit(double[] preferences, double[] lengthDifferences) {
        int n = preferences.length;
        if (n != lengthDifferences.length) {
            throw new IllegalArgumentException(n + " preferences but " + lengthDifferences.length + " lengths");
        }
        if (n == 0) {
            return new LengthControlledWinRate(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double y : preferences) {
            mean += y / n;
        }
        if (mean <= 0 || mean >= 1) {
            // every comparison went one way: no logistic fit exists, and length cannot explain a unanimous verdict
            double[] interval = wilson(mean, n);
            return new LengthControlledWinRate(mean, interval[0], interval[1], 0);
        }
        double[] x = normalised(lengthDifferences);
        double b0 = Math.log(mean / (1 - mean));
        double b1 = 0;
        double[][] information = new double[2][2];
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double g0 = 0;
            double g1 = -SLOPE_PENALTY * b1;
            double h00 = 0;
            double h01 = 0;
            double h11 = SLOPE_PENALTY;
            for (int i = 0; i < n; i++) {
                double p = sigmoid(b0 + b1 * x[i]);
                double w = p * (1 - p);
                g0 += preferences[i] - p;
                g1 += (preferences[i] - p) * x[i];
                h00 += w;
                h01 += w * x[i];
                h11 += w * x[i] * x[i];
            }
            information = new double[][] {{h00, h01}, {h01, h11}};
            double[] step = solve(information, g0, g1);
            b0 += step[0];
            b1 += step[1];
            if (Math.abs(step[0]) + Math.abs(step[1]) < 1e-10) {
                break;
            }
        }
        double[][] meat = new double[2][2];
        for (int i = 0; i < n; i++) {
            double r = preferences[i] - sigmoid(b0 + b1 * x[i]);
            meat[0][0] += r * r;
            meat[0][1] += r * r * x[i];
            meat[1][1] += r * r * x[i] * x[i];
        }
        meat[1][0] = meat[0][1];
        double[][] bread = inverse(information);
        double variance = 0;
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < 2; k++) {
                variance += bread[0][j] * meat[j][k] * bread[k][0];
            }
        }
        // HC1: the sandwich's small-sample correction for the two fitted coefficients
        variance *= n > 2 ? (double) n / (n - 2) : 1;
        if (!(variance > 0) || n < 3) {
            // every residual zero (all ties, say) or too few comparisons to estimate a spread: the binomial bound
            double[] interval = wilson(sigmoid(b0), n);
            return new LengthControlledWinRate(sigmoid(b0), interval[0], interval[1], b1);
        }
        double half = Z95 * Math.sqrt(variance);
        return new LengthControlledWinRate(sigmoid(b0), sigmoid(b0 - half), sigmoid(b0 + half), b1);
    }

    /**
     * Wilson's 95% score interval for a share {@code p} of {@code n} comparisons: never of zero width, so a unanimous
     * verdict of three prompts does not look certain.
     */
    static double[] wilson(double p, int n) {
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** tanh(d / sd(d)), as AlpacaEval 2 scales the length difference; all zero when every difference is the same. */
    private static double[] normalised(double[] differences) {
        int n = differences.length;
        double mean = 0;
        for (double d : differences) {
            mean += d / n;
        }
        double squares = 0;
        for (double d : differences) {
            squares += (d - mean) * (d - mean);
        }
        double sd = Math.sqrt(squares / n);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = sd > 0 ? Math.tanh(differences[i] / sd) : 0;
        }
        return x;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double[] solve(double[][] a, double b0, double b1) {
        double[][] inverse = inverse(a);
        return new double[] {inverse[0][0] * b0 + inverse[0][1] * b1, inverse[1][0] * b0 + inverse[1][1] * b1};
    }

    private static double[][] inverse(double[][] a) {
        double determinant = a[0][0] * a[1][1] - a[0][1] * a[1][0];
        return new double[][] {
            {a[1][1] / determinant, -a[0][1] / determinant}, {-a[1][0] / determinant, a[0][0] / determinant}
        };
    }
}
