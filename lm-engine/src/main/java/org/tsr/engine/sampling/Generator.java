package org.tsr.engine.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.InferenceMode;
import org.tsr.engine.model.KvCache;
import org.tsr.engine.model.TokenIds;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.engine.tokenizer.ChatTemplate;

/**
 * Batched sampling with a KV cache. Prompts of different lengths share one batch through padding and an
 * attention mask; each prompt is encoded once and its cache copied for its n samples; finished sequences
 * leave the batch so later steps only compute live rows.
 *
 * <p>Every native array of a call lives in a sub-manager of the model's manager that closes when the call
 * returns, and each decoding step's temporaries in a further sub-manager closed after the step.
 *
 * <p>A call given a {@link TokenFeed} reports each token to its listener as soon as it is chosen, with the text it
 * makes final and, when asked, log-probabilities; a listener that throws ends the call.
 */
public final class Generator {

    /** Where padding goes when prompts of different lengths share a batch. */
    public enum Padding {
        LEFT,
        RIGHT
    }

    private final LanguageModel model;
    private final Padding padding;

    public Generator(LanguageModel model) {
        this(model, Padding.LEFT);
    }

    public Generator(LanguageModel model, Padding padding) {
        this.model = model;
        this.padding = padding;
    }

    /** Samples completions for already formatted prompts; returns, per prompt, its n completions. */
    public List<List<Completion>> generate(List<String> prompts, SamplingSettings params) {
        return generateFromIds(encode(prompts), params, null);
    }

    /** Like {@link #generate(List, SamplingSettings)}, reporting each token to the feed as it is decoded. */
    public List<List<Completion>> generate(List<String> prompts, SamplingSettings params, TokenFeed feed) {
        return generateFromIds(encode(prompts), params, feed);
    }

    private List<long[]> encode(List<String> prompts) {
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            ids.add(model.tokenizer().encode(prompt));
        }
        return ids;
    }

    /**
     * Samples assistant replies to conversations, formatted by the model's chat template with the
     * generation prompt appended.
     */
    public List<List<Completion>> generateChats(List<List<ChatMessage>> conversations, SamplingSettings params) {
        ChatTemplate template = model.chatTemplate()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "the model has no chat template (chat_template.jinja or tokenizer_config.json's chat_template)"));
        List<String> prompts = new ArrayList<>(conversations.size());
        for (List<ChatMessage> conversation : conversations) {
            prompts.add(template.render(conversation, true));
        }
        return generate(prompts, params);
    }

    public List<List<Completion>> generateFromIds(List<long[]> prompts, SamplingSettings params) {
        return generateFromIds(prompts, params, null);
    }

    private List<List<Completion>> generateFromIds(List<long[]> prompts, SamplingSettings params, TokenFeed feed) {
        if (prompts.isEmpty()) {
            return List.of();
        }
        CausalLm network = model.network();
        int context = network.config().contextLength();
        for (int p = 0; p < prompts.size(); p++) {
            int length = prompts.get(p).length;
            if (length == 0 || length >= context) {
                throw new IllegalArgumentException(
                        "prompt " + p + " has " + length + " tokens; it needs 1 to " + (context - 1));
            }
            TokenIds.requireInVocabulary(prompts.get(p), network.config().vocabSize(), "prompt " + p);
        }
        List<Sequence> sequences = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            for (int s = 0; s < params.n(); s++) {
                IncrementalText incremental = feed != null || !params.stop().isEmpty()
                        ? new IncrementalText(model.tokenizer(), params.stop())
                        : null;
                sequences.add(new Sequence(p, s, prompts.get(p), params.seed(), incremental));
            }
        }
        try (InferenceMode noGradients = InferenceMode.enter();
                NDManager call = model.manager().newSubManager();
                KvCache cache = network.newCache(call)) {
            new Decoding(call, cache, params, feed, prompts, sequences).run();
        }
        List<List<Completion>> byPrompt = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            byPrompt.add(new ArrayList<>());
        }
        for (Sequence sequence : sequences) {
            byPrompt.get(sequence.promptIndex).add(sequence.toCompletion());
        }
        return byPrompt;
    }

    /** One generate call's loop over decoding steps. */
    private final class Decoding {

        private final NDManager call;
        private final KvCache cache;
        private final SamplingSettings params;
        private final TokenFeed feed;
        private final List<long[]> prompts;
        private final TokenChooser chooser;
        private final int vocab;
        private final List<Integer> eosIds;
        private List<Sequence> active;
        private boolean[][] keyMask;

        Decoding(
                NDManager call,
                KvCache cache,
                SamplingSettings params,
                TokenFeed feed,
                List<long[]> prompts,
                List<Sequence> sequences) {
            this.call = call;
            this.cache = cache;
            this.params = params;
            this.feed = feed;
            this.prompts = prompts;
            this.chooser = new TokenChooser(params);
            this.vocab = model.config().vocabSize();
            this.eosIds = model.generationConfig().eosTokenIds();
            this.active = new ArrayList<>(sequences);
        }

        void run() {
            float[] promptLogits = prefill();
            for (Sequence sequence : active) {
                accept(sequence, promptLogits, sequence.promptIndex);
            }
            while (dropFinished()) {
                float[] logits = step();
                for (int row = 0; row < active.size(); row++) {
                    accept(active.get(row), logits, row);
                }
            }
        }

        /** Encodes each distinct prompt once, then copies its cache rows for its samples. */
        private float[] prefill() {
            int count = prompts.size();
            int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
            long[] ids = new long[count * width];
            java.util.Arrays.fill(ids, model.generationConfig().padTokenId());
            boolean[][] promptMask = new boolean[count][width];
            long[] lastSlot = new long[count];
            for (int p = 0; p < count; p++) {
                long[] prompt = prompts.get(p);
                int start = padding == Padding.LEFT ? width - prompt.length : 0;
                System.arraycopy(prompt, 0, ids, p * width + start, prompt.length);
                java.util.Arrays.fill(promptMask[p], start, start + prompt.length, true);
                lastSlot[p] = start + prompt.length - 1;
            }
            int hidden = model.config().hiddenSize();
            try (NDManager step = call.newSubManager()) {
                NDArray input = step.create(ids, new Shape(count, width));
                NDArray states =
                        model.network().hiddenStates(input, AttentionInputs.of(step, promptMask, width), cache);
                NDArray index = step.create(lastSlot, new Shape(count, 1, 1)).broadcast(count, 1, hidden);
                float[] logits = model.network().logits(states.gather(index, 1)).toFloatArray();
                long[] rowToPrompt =
                        active.stream().mapToLong(s -> s.promptIndex).toArray();
                if (params.n() > 1) {
                    cache.selectRows(step.create(rowToPrompt));
                }
                keyMask = new boolean[active.size()][];
                for (int row = 0; row < active.size(); row++) {
                    keyMask[row] = promptMask[active.get(row).promptIndex].clone();
                }
                return logits;
            }
        }

        /** Feeds each live row its last token; returns logits (rows, vocab). */
        private float[] step() {
            int rows = active.size();
            int keyTime = keyMask[0].length + 1;
            long[] ids = new long[rows];
            for (int row = 0; row < rows; row++) {
                ids[row] = active.get(row).lastToken();
                keyMask[row] = java.util.Arrays.copyOf(keyMask[row], keyTime);
                keyMask[row][keyTime - 1] = true;
            }
            try (NDManager step = call.newSubManager()) {
                NDArray input = step.create(ids, new Shape(rows, 1));
                NDArray states = model.network().hiddenStates(input, AttentionInputs.of(step, keyMask, 1), cache);
                return model.network().logits(states).toFloatArray();
            }
        }

        private void accept(Sequence sequence, float[] logits, int row) {
            int offset = row * vocab;
            int token = chooser.choose(logits, offset, vocab, sequence.random);
            String piece = sequence.accept(
                    token, eosIds, params, model.tokenizer(), model.config().contextLength());
            if (feed != null) {
                feed.listener().onToken(decoded(sequence, token, piece, logits, offset));
            }
        }

        /** The step as the feed sees it; log-probabilities are of the raw logits, before temperature and top-k/p. */
        private DecodedToken decoded(Sequence sequence, int token, String piece, float[] logits, int offset) {
            TokenLogprob sampled = null;
            List<TokenLogprob> top = List.of();
            if (feed.logprobs() && !eosIds.contains(token)) {
                double normalizer = LogSoftmax.normalizer(logits, offset, vocab);
                sampled = logprob(token, logits, offset, normalizer);
                int[] likely = LogSoftmax.mostLikely(logits, offset, vocab, feed.topLogprobs());
                top = new ArrayList<>(likely.length);
                for (int id : likely) {
                    top.add(logprob(id, logits, offset, normalizer));
                }
            }
            return new DecodedToken(
                    sequence.promptIndex, sequence.sampleIndex, piece, sampled, top, sequence.finishReason());
        }

        private TokenLogprob logprob(int id, float[] logits, int offset, double normalizer) {
            return new TokenLogprob(id, model.tokenizer().tokenText(id), logits[offset + id] - normalizer);
        }

        /** Removes finished rows from the batch and the cache; false when none is left. */
        private boolean dropFinished() {
            List<Sequence> live = new ArrayList<>();
            List<boolean[]> liveMask = new ArrayList<>();
            List<Long> keep = new ArrayList<>();
            for (int row = 0; row < active.size(); row++) {
                if (!active.get(row).isFinished()) {
                    live.add(active.get(row));
                    liveMask.add(keyMask[row]);
                    keep.add((long) row);
                }
            }
            if (live.isEmpty()) {
                return false;
            }
            if (live.size() < active.size()) {
                try (NDManager step = call.newSubManager()) {
                    cache.selectRows(
                            step.create(keep.stream().mapToLong(Long::longValue).toArray()));
                }
                active = live;
                keyMask = liveMask.toArray(new boolean[0][]);
            }
            return true;
        }
    }
}
