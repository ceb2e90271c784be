import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.sampling.Completion;
import org.tsr.engine.sampling.Generator;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;

/**
 * The engine's half of bench/run.sh engine: sampling throughput with the KV cache (16 prompts x 64 new
 * tokens) and a forward+backward step (32 x 128 tokens) on the tiny and ~25M configs. Prints one
 * "result" line per measurement for run.sh to pair with the PyTorch reference.
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
        for (String size : sizes) {
            ModelConfig config = size.equals("tiny") ? TinyModels.tiny(vocabulary) : TinyModels.bench25m(vocabulary);
            Path dir = TinyModels.create(work.resolve(size), config, vocabulary, 1);
            // no end-of-sequence ids, so every row decodes all 64 tokens as the reference does
            Files.writeString(dir.resolve("generation_config.json"),
                    "{\"bos_token_id\": 1, \"eos_token_id\": [], \"pad_token_id\": 0}");
            try (LanguageModel model = LanguageModel.load(dir, EngineOptions.cpu(threads))) {
                sampling(size, model, vocabulary);
                trainStep(size, model, vocabulary, size.equals("tiny") ? 5 : 2);
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

    static void trainStep(String size, LanguageModel model, CharacterVocabulary vocabulary, int repeats) {
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
