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
    // null when nothing needs the text before the end (no stop strings, no token feed): decoded once then
    private final IncrementalText incremental;
    private long[] generated = new long[16];
    private int generatedCount;
    private int completionTokens;
    private FinishReason finishReason;
    private String text;

    Sequence(int promptIndex, int sampleIndex, long[] promptIds, long seed, IncrementalText incremental) {
        this.promptIndex = promptIndex;
        this.sampleIndex = sampleIndex;
        this.promptIds = promptIds;
        this.random = new SplittableRandom(streamSeed(seed, sampleIndex, promptIds));
        this.incremental = incremental;
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

    FinishReason finishReason() {
        return finishReason;
    }

    /**
     * Records a sampled token and decides whether the sequence ends with it; returns the text that became final with
     * it (always empty for a sequence without incremental text).
     */
    String accept(
            int token, List<Integer> eosIds, SamplingSettings params, TextTokenizer tokenizer, int contextLength) {
        completionTokens++;
        if (eosIds.contains(token)) {
            return finish(FinishReason.STOP, tokenizer);
        }
        if (generatedCount == generated.length) {
            generated = Arrays.copyOf(generated, generated.length * 2);
        }
        generated[generatedCount++] = token;
        String piece = "";
        if (incremental != null) {
            piece = incremental.add(generated, generatedCount);
            if (incremental.stopped()) {
                finishReason = FinishReason.STOP;
                text = incremental.text();
                return piece;
            }
        }
        if (generatedCount >= params.maxTokens() || length() >= contextLength) {
            return piece + finish(FinishReason.LENGTH, tokenizer);
        }
        return piece;
    }

    long lastToken() {
        return generated[generatedCount - 1];
    }

    Completion toCompletion() {
        return new Completion(
                promptIndex, sampleIndex, text, generatedIds(), finishReason, promptIds.length, completionTokens);
    }

    private String finish(FinishReason reason, TextTokenizer tokenizer) {
        finishReason = reason;
        if (incremental == null) {
            text = tokenizer.decode(generatedIds());
            return "";
        }
        String rest = incremental.finish(generated, generatedCount);
        text = incremental.text();
        return rest;
    }

    private long[] generatedIds() {
        return Arrays.copyOf(generated, generatedCount);
    }
}
