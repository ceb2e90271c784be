package org.tsr.engine.sampling;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.tokenizer.TextTokenizer;

/** The decoding state of one completion. */
final class Sequence {

    final int promptIndex;
    final int sampleIndex;
    final long[] promptIds;
    final SplittableRandom random;
    private long[] generated = new long[16];
    private int generatedCount;
    private int completionTokens;
    private FinishReason finishReason;
    private String text;

    Sequence(int promptIndex, int sampleIndex, long[] promptIds, long seed) {
        this.promptIndex = promptIndex;
        this.sampleIndex = sampleIndex;
        this.promptIds = promptIds;
        this.random = new SplittableRandom(streamSeed(seed, sampleIndex, promptIds));
    }

    /**
     * The random stream depends on the seed, the sample index and the prompt's tokens, not on the batch:
     * a prompt sampled alone or among others draws the same numbers.
     */
    private static long streamSeed(long seed, int sampleIndex, long[] promptIds) {
        long h = seed * 0x9E3779B97F4A7C15L + sampleIndex;
        for (long id : promptIds) {
            h = h * 31 + id;
        }
        return h;
    }

    boolean isFinished() {
        return finishReason != null;
    }

    int length() {
        return promptIds.length + generatedCount;
    }

    /** Records a sampled token and decides whether the sequence ends with it. */
    void accept(int token, List<Integer> eosIds, SamplingSettings params, TextTokenizer tokenizer, int contextLength) {
        completionTokens++;
        if (eosIds.contains(token)) {
            finish(FinishReason.STOP, tokenizer);
            return;
        }
        if (generatedCount == generated.length) {
            generated = Arrays.copyOf(generated, generated.length * 2);
        }
        generated[generatedCount++] = token;
        if (!params.stop().isEmpty()) {
            String decoded = tokenizer.decode(generatedIds());
            int cut = firstStop(decoded, params.stop());
            if (cut >= 0) {
                finishReason = FinishReason.STOP;
                text = decoded.substring(0, cut);
                return;
            }
        }
        if (generatedCount >= params.maxTokens() || length() >= contextLength) {
            finish(FinishReason.LENGTH, tokenizer);
        }
    }

    long lastToken() {
        return generated[generatedCount - 1];
    }

    Completion toCompletion() {
        return new Completion(
                promptIndex, sampleIndex, text, generatedIds(), finishReason, promptIds.length, completionTokens);
    }

    private void finish(FinishReason reason, TextTokenizer tokenizer) {
        finishReason = reason;
        text = tokenizer.decode(generatedIds());
    }

    private long[] generatedIds() {
        return Arrays.copyOf(generated, generatedCount);
    }

    private static int firstStop(String text, List<String> stopStrings) {
        int first = -1;
        for (String stop : stopStrings) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
