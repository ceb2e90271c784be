import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.sampling.Completion;
import org.tsr.engine.sampling.Generator;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.checkpoint.HfConfigFile;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.TensorDtype;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.model.RopeScaling;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;

/**
 * The engine's half of bench/run.sh engine: sampling throughput with the KV cache (16 prompts x 64 new
 * tokens) and a forward+backward step (32 x 128 tokens) on the tiny and ~25M configs. Prints one
 * "result" line per measurement for run.sh to pair with the PyTorch reference.
 *
 * <p>Besides: the machine's float32 GEMM rate through the engine's PyTorch (square matmuls, best sustained rate,
 * "result machine gemm_gflops"), the achieved FLOP rate of the 25m training step ("result 25m train_gflops", FLOPs
 * counted per matmul, see {@link #trainStepFlops}), and with size "0.5b" a random model of Qwen2.5-0.5B's shape
 * (float32): prefill of 1 x 128 tokens and decode of 32 tokens at batch 1 and 16.
 */
public class EngineBench {

    static final int PROMPTS = 16;
    static final int PROMPT_TOKENS = 16;
    static final int NEW_TOKENS = 64;
    static final int TRAIN_ROWS = 32;
    static final int TRAIN_TOKENS = 128;

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        List<String> sizes = args.length > 2 ? List.of(args[2].split(",")) : List.of("tiny", "25m");
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        gemm();
        for (String size : sizes) {
            if (size.equals("0.5b")) {
                qwen05b(work.resolve(size), threads, vocabulary);
                continue;
            }
            ModelConfig config = size.equals("tiny") ? TinyModels.tiny(vocabulary) : TinyModels.bench25m(vocabulary);
            Path dir = TinyModels.create(work.resolve(size), config, vocabulary, 1);
            // no end-of-sequence ids, so every row decodes all 64 tokens as the reference does
            Files.writeString(dir.resolve("generation_config.json"),
                    "{\"bos_token_id\": 1, \"eos_token_id\": [], \"pad_token_id\": 0}");
            try (LanguageModel model = LanguageModel.load(dir, EngineOptions.cpu(threads))) {
                sampling(size, model, vocabulary);
                double seconds = trainStep(size, model, vocabulary, size.equals("tiny") ? 5 : 2);
                System.out.printf(Locale.ROOT, "result %s train_gflops %.2f%n", size,
                        trainStepFlops(config, TRAIN_ROWS, TRAIN_TOKENS) / seconds / 1e9);
            }
        }
    }

    static void sampling(String size, LanguageModel model, CharacterVocabulary vocabulary) {
        Random random = new Random(5);
        List<long[]> prompts = new ArrayList<>();
        for (int p = 0; p < PROMPTS; p++) {
            prompts.add(randomIds(random, PROMPT_TOKENS, vocabulary));
        }
        Generator generator = new Generator(model);
        SamplingSettings params = SamplingSettings.of(1, 1.0, NEW_TOKENS, 7);
        generator.generateFromIds(prompts, params);
        int repeats = size.equals("tiny") ? 5 : 2;
        long tokens = 0;
        long start = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            for (List<Completion> completions : generator.generateFromIds(prompts, params)) {
                tokens += completions.stream().mapToInt(Completion::completionTokens).sum();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("result %s sampling %.1f%n", size, tokens / seconds);
    }

    static double trainStep(String size, LanguageModel model, CharacterVocabulary vocabulary, int repeats) {
        for (NamedParameter parameter : model.network().namedParameters()) {
            parameter.parameter().getArray().setRequiresGradient(true);
        }
        Random random = new Random(9);
        List<PromptResponse> batch = new ArrayList<>();
        for (int row = 0; row < TRAIN_ROWS; row++) {
            // loss on every token after the first, like a language-model step
            batch.add(new PromptResponse(randomIds(random, 1, vocabulary), randomIds(random, TRAIN_TOKENS - 1, vocabulary)));
        }
        SequenceScorer scorer = new SequenceScorer(model);
        step(model, scorer, batch);
        long start = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            step(model, scorer, batch);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / repeats;
        System.out.printf("result %s train_step %.1f%n", size, TRAIN_ROWS * TRAIN_TOKENS / seconds);
        return seconds;
    }

    static final int GEMM_SIZE = 2048;
    static final int GEMM_ROUNDS = 5;
    static final int GEMM_PER_ROUND = 4;

    /**
     * The machine's float32 GEMM rate through DJL's PyTorch: square 2048 x 2048 matmuls, {@value #GEMM_PER_ROUND}
     * back to back per round, the best of {@value #GEMM_ROUNDS} rounds after one warm-up (2 n^3 FLOPs a matmul).
     */
    static void gemm() {
        double best = 0;
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Shape shape = new Shape(GEMM_SIZE, GEMM_SIZE);
            NDArray a = manager.randomUniform(-1f, 1f, shape, DataType.FLOAT32);
            NDArray b = manager.randomUniform(-1f, 1f, shape, DataType.FLOAT32);
            a.matMul(b).close();
            for (int round = 0; round < GEMM_ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < GEMM_PER_ROUND; i++) {
                    a.matMul(b).close();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, GEMM_PER_ROUND * 2.0 * Math.pow(GEMM_SIZE, 3) / seconds);
            }
        }
        System.out.printf(Locale.ROOT, "result machine gemm_gflops %.2f%n", best / 1e9);
    }

    /**
     * FLOPs of one forward+backward step on rows x tokens, counted per matmul: every linear layer and the tied head,
     * 2 FLOPs per multiply-add per token forward; attention scores and weighted values, 2 x 2 x tokens^2 x
     * heads x head_dim per layer and row (the full square, as the causal mask is applied after the product); the
     * backward pass twice the forward. Norms, activations, softmax and the embedding gather are left out.
     */
    static double trainStepFlops(ModelConfig c, int rows, int tokens) {
        double attentionWidth = (double) c.numAttentionHeads() * c.headDim();
        double kvWidth = (double) c.numKeyValueHeads() * c.headDim();
        double linear = c.hiddenSize() * (2 * attentionWidth + 2 * kvWidth) + 3.0 * c.hiddenSize() * c.intermediateSize();
        double perToken = 2 * (c.numHiddenLayers() * linear + (double) c.hiddenSize() * c.vocabSize());
        double attention = 4.0 * tokens * tokens * attentionWidth * c.numHiddenLayers();
        return 3 * rows * (tokens * perToken + attention);
    }

    static final int PREFILL_TOKENS = 128;
    static final int DECODE_PROMPT_TOKENS = 16;
    static final int DECODE_TOKENS = 32;

    /** Qwen2.5-0.5B's shape: hidden 896, 24 layers, intermediate 4864, 14 heads over 2 KV heads, q/k/v bias, tied. */
    static ModelConfig qwen05bConfig() {
        return new ModelConfig(Architecture.QWEN2, 151_936, 896, 4864, 24, 14, 2, 64, 32_768, 1e-6, 1_000_000.0,
                RopeScaling.NONE, true, true, false, 151_643, 151_643, 0);
    }

    /**
     * A random Qwen2.5-0.5B-shaped model (weights from N(0, 0.02) in native memory, written once as a float32
     * checkpoint and loaded as any checkpoint is): tokens/s of a 1 x 128 prefill (the generation of one token), and
     * of decoding at batch 1 and 16 from 16-token prompts: (32 new tokens - 1 new token) wall time over 31 x batch
     * tokens (see {@link #bestSeconds}).
     */
    static void qwen05b(Path dir, int threads, CharacterVocabulary vocabulary) throws Exception {
        ModelConfig config = qwen05bConfig();
        Files.createDirectories(dir);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CausalLm network = new CausalLm(config);
            Map<String, TensorDtype> dtypes = new HashMap<>();
            for (NamedParameter slot : network.namedParameters()) {
                NDArray value = slot.name().endsWith("norm.weight")
                        ? manager.ones(slot.shape())
                        : slot.name().endsWith(".bias")
                                ? manager.zeros(slot.shape())
                                : manager.randomNormal(0f, 0.02f, slot.shape(), DataType.FLOAT32);
                slot.parameter().setArray(value);
                dtypes.put(slot.name(), TensorDtype.F32);
            }
            HfConfigFile.write(config, dir.resolve(HfConfigFile.FILE_NAME));
            HfWeights.save(network, dir, HfWeights.DEFAULT_MAX_SHARD_BYTES, dtypes);
        }
        // the character tokenizer only names the special tokens; prompts are ids and completions are not read
        vocabulary.writeTo(dir, config.maxPositionEmbeddings());
        Files.writeString(dir.resolve("generation_config.json"),
                "{\"bos_token_id\": 1, \"eos_token_id\": [], \"pad_token_id\": 0}");
        EngineOptions float32 = EngineOptions.cpu(threads);
        try (LanguageModel model = LanguageModel.load(dir, float32)) {
            speeds(model, "");
            System.out.printf(Locale.ROOT, "result 0.5b weight_mb %.1f%n", model.weightBytes() / 1e6);
        }
        // the same checkpoint with bfloat16 products: speed, weight memory and how far its logits move
        try (LanguageModel exact = LanguageModel.load(dir, float32);
                LanguageModel rounded = LanguageModel.load(dir, float32.withPrecision(EngineOptions.Precision.BFLOAT16))) {
            speeds(rounded, "_bf16");
            System.out.printf(Locale.ROOT, "result 0.5b weight_mb_bf16 %.1f%n", rounded.weightBytes() / 1e6);
            long[] ids = randomIds(new Random(5), PREFILL_TOKENS, config.vocabSize());
            float[] expected = lastLogits(exact, ids);
            float[] actual = lastLogits(rounded, ids);
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            System.out.printf(Locale.ROOT, "result 0.5b bf16_logit_max_diff %.5f%n", worst);
            System.out.printf(Locale.ROOT, "result 0.5b logit_max_abs %.5f%n", scale);
        }
    }

    /** Prefill and decode rates of one loaded model, reported under names ending in {@code suffix}. */
    static void speeds(LanguageModel model, String suffix) {
        int vocabulary = model.config().vocabSize();
        Generator generator = new Generator(model);
        Random random = new Random(11);
        List<long[]> prefill = List.of(randomIds(random, PREFILL_TOKENS, vocabulary));
        double prefillSeconds = bestSeconds(generator, prefill, 1);
        System.out.printf(Locale.ROOT, "result 0.5b prefill%s %.1f%n", suffix, PREFILL_TOKENS / prefillSeconds);
        for (int batch : new int[] {1, 16}) {
            List<long[]> prompts = new ArrayList<>();
            for (int row = 0; row < batch; row++) {
                prompts.add(randomIds(random, DECODE_PROMPT_TOKENS, vocabulary));
            }
            double one = bestSeconds(generator, prompts, 1);
            double all = bestSeconds(generator, prompts, DECODE_TOKENS);
            System.out.printf(Locale.ROOT, "result 0.5b decode_b%d%s %.1f%n", batch, suffix,
                    (DECODE_TOKENS - 1) * batch / (all - one));
        }
    }

    /** The logits of the last position of one full pass over {@code ids}. */
    static float[] lastLogits(LanguageModel model, long[] ids) {
        try (NDManager manager = model.manager().newSubManager()) {
            boolean[][] mask = {new boolean[ids.length]};
            java.util.Arrays.fill(mask[0], true);
            NDArray hidden = model.network()
                    .hiddenStates(manager.create(new long[][] {ids}), AttentionInputs.of(manager, mask, ids.length), null);
            NDArray logits = model.network().logits(hidden);
            return logits.get(new ai.djl.ndarray.index.NDIndex("0, -1")).toFloatArray();
        }
    }

    /** A prefill (one new token): best of two after a warm-up; a decode: one run, the prefill runs warmed it up. */
    static double bestSeconds(Generator generator, List<long[]> prompts, int newTokens) {
        SamplingSettings params = SamplingSettings.of(1, 1.0, newTokens, 7);
        int runs = newTokens == 1 ? 2 : 1;
        if (newTokens == 1) {
            generator.generateFromIds(prompts, params);
        }
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            for (List<Completion> completions : generator.generateFromIds(prompts, params)) {
                if (completions.get(0).completionTokens() != newTokens) {
                    throw new IllegalStateException("a row stopped early");
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    static long[] randomIds(Random random, int count, int vocabularySize) {
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = 1000 + random.nextInt(vocabularySize - 2000);
        }
        return ids;
    }

    static void step(LanguageModel model, SequenceScorer scorer, List<PromptResponse> batch) {
        try (NDManager manager = model.manager().newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            var logProbs = scorer.logProbs(manager, batch);
            NDArray loss = logProbs.sums().sum().div(logProbs.responseLengths().sum()).neg();
            collector.backward(loss);
        }
        for (NamedParameter parameter : model.network().namedParameters()) {
            // what an optimizer step does after the update, so gradients never accumulate
            JniUtils.zeroGrad((PtNDArray) parameter.parameter().getArray());
        }
    }

    static long[] randomIds(Random random, int count, CharacterVocabulary vocabulary) {
        long[] ids = new long[count];
        int first = vocabulary.id("a");
        for (int i = 0; i < count; i++) {
            ids[i] = first + random.nextInt(26);
        }
        return ids;
    }
}
