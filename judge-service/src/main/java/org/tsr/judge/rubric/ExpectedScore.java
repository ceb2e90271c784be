package org.tsr.judge.rubric;

import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.NextTokenScorer;
import org.tsr.engine.tokenizer.ChatMessage;

/**
 * Expected-score judging, as G-Eval scores: once the judge has written its reasoning up to "Score:" (or "Score:" is
 * appended where it stopped without one), one forward pass reads the probabilities of the score digits at the next
 * position, and the score is their probability-weighted mean. It uses the whole distribution the judge puts on the
 * grades, not one sampled digit, so two responses the judge rates 3.4 and 3.6 are told apart.
 *
 * <p>Digits are read as the tokenizer splits them: where " 4" (with its leading space) is one token, right after
 * "Score:"; where it is not, after "Score: ".
 */
public final class ExpectedScore {

    private static final String MARKER = "Score:";

    private final LanguageModel model;
    private final int min;
    private final int max;

    /** Reads scores {@code min} to {@code max}, one digit each. */
    public ExpectedScore(LanguageModel model, int min, int max) {
        if (min < 0 || max > 9 || min >= max) {
            throw new IllegalArgumentException("expected-score judging reads single digits, got " + min + " to " + max);
        }
        this.model = model;
        this.min = min;
        this.max = max;
    }

    /**
     * @param judgePrompts the judge prompts (the template rendered for each response), as the judge was asked
     * @param judgeTexts what the judge wrote for each
     * @return the expected score of each
     */
    public List<Double> scores(List<String> judgePrompts, List<String> judgeTexts) {
        long[] spaced = digitTokens(" ");
        boolean afterMarker = spaced != null;
        long[] candidates = afterMarker ? spaced : digitTokens("");
        if (candidates == null) {
            throw new IllegalArgumentException(
                    "the judge's tokenizer does not encode each score digit as one token; expected-score judging"
                            + " cannot read it");
        }
        var template = model.chatTemplate()
                .orElseThrow(() -> new IllegalArgumentException("expected-score judging needs a chat template"));
        List<long[]> prompts = new ArrayList<>(judgePrompts.size());
        for (int i = 0; i < judgePrompts.size(); i++) {
            String asked = template.render(List.of(ChatMessage.user(judgePrompts.get(i))), true);
            String reasoning = upToMarker(judgeTexts.get(i)) + (afterMarker ? "" : " ");
            prompts.add(model.tokenizer().encode(asked + reasoning));
        }
        float[][] logProbs = new NextTokenScorer(model).logProbs(prompts, candidates);
        List<Double> scores = new ArrayList<>(logProbs.length);
        for (float[] row : logProbs) {
            double mass = 0;
            double weighted = 0;
            for (int d = 0; d < row.length; d++) {
                double p = Math.exp(row[d]);
                mass += p;
                weighted += p * (min + d);
            }
            scores.add(weighted / mass);
        }
        return scores;
    }

    /** The judge's text up to and including its last "Score:", or with "Score:" appended. */
    static String upToMarker(String text) {
        int at = text.lastIndexOf(MARKER);
        if (at >= 0) {
            return text.substring(0, at + MARKER.length());
        }
        String reasoning = text.stripTrailing();
        if (reasoning.isEmpty()) {
            return MARKER;
        }
        return reasoning + (reasoning.endsWith(".") ? " " : ". ") + MARKER;
    }

    /** The single-token ids of each digit with the prefix, or null if some digit is not one token. */
    private long[] digitTokens(String prefix) {
        long[] ids = new long[max - min + 1];
        for (int d = min; d <= max; d++) {
            long[] encoded = model.tokenizer().encode(prefix + d);
            if (encoded.length != 1) {
                return null;
            }
            ids[d - min] = encoded[0];
        }
        return ids;
    }
}
