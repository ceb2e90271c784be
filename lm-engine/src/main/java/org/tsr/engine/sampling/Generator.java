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
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            ids.add(model.tokenizer().encode(prompt));
        }
        return generateFromIds(ids, params);
    }

    /**
     * Samples assistant replies to conversations, formatted by the model's chat template with the
     * generation prompt appended.
     */
    public List<List<Completion>> generateChats(List<List<ChatMessage>> conversations, SamplingSettings params) {
        ChatTemplate template = model.chatTemplate()
                .orElseThrow(() -> new IllegalStateException("the model's tokenizer_config.json has no chat_template"));
        List<String> prompts = new ArrayList<>(conversations.size());
        for (List<ChatMessage> conversation : conversations) {
            prompts.add(template.render(conversation, true));
        }
        return generate(prompts, params);
    }

    public List<List<Completion>> generateFromIds(List<long[]> prompts, SamplingSettings params) {
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
                sequences.add(new Sequence(p, s, prompts.get(p), params.seed()));
            }
        }
        try (InferenceMode noGradients = InferenceMode.enter();
                NDManager call = model.manager().newSubManager();
                KvCache cache = network.newCache(call)) {
            new Decoding(call, cache, params, prompts, sequences).run();
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
        private final List<long[]> prompts;
        private final TokenChooser chooser;
        private final int vocab;
        private List<Sequence> active;
        private boolean[][] keyMask;

        Decoding(
                NDManager call,
                KvCache cache,
                SamplingSettings params,
                List<long[]> prompts,
                List<Sequence> sequences) {
            this.call = call;
            this.cache = cache;
            this.params = params;
            this.prompts = prompts;
            this.chooser = new TokenChooser(params);
            this.vocab = model.config().vocabSize();
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
            int token = chooser.choose(logits, row * vocab, vocab, sequence.random);
            sequence.accept(
                    token,
                    model.generationConfig().eosTokenIds(),
                    params,
                    model.tokenizer(),
                    model.config().contextLength());
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
