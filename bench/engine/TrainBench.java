import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.engine.model.LoraAdapters;
import org.tsr.engine.training.LoraOptions;
import org.tsr.engine.training.Objective;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;
import org.tsr.engine.training.sft.SftObjective;

/**
 * The engine's half of bench/run.sh train: optimizer steps of DPO (16 pairs x 128 tokens, sigmoid loss on
 * precomputed reference log-probs) and of SFT (16 rows x 128 tokens, response-token NLL), each through
 * {@link Trainer} with its objective, global-norm clipping and AdamW, on the tiny and ~25M configs. A step's
 * time is the wall time between two of the trainer's step callbacks (forward, backward, gradient norm, AdamW
 * update, gradients cleared). Then, engine only, the DPO step training LoRA adapters (rank 8 on q_proj and
 * v_proj) on the frozen base. Prints one "result" line per measurement for run.sh to pair with the PyTorch
 * reference (bench/engine/train_reference.py).
 */
public class TrainBench {

    static final int ROWS = 16;
    static final int PROMPT_TOKENS = 32;
    static final int RESPONSE_TOKENS = 96; // prompt + response = 128 tokens per row

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        List<String> sizes = args.length > 2 ? List.of(args[2].split(",")) : List.of("tiny", "25m");
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        for (String size : sizes) {
            ModelConfig config = size.equals("tiny") ? TinyModels.tiny(vocabulary) : TinyModels.bench25m(vocabulary);
            Path dir = TinyModels.create(work.resolve(size), config, vocabulary, 1);
            int warmup = size.equals("tiny") ? 2 : 1;
            int timed = size.equals("tiny") ? 5 : 3;
            try (LanguageModel model = LanguageModel.load(dir, EngineOptions.cpu(threads))) {
                Random random = new Random(11);
                List<PreferenceExample> pairs = new ArrayList<>();
                for (int i = 0; i < ROWS; i++) {
                    pairs.add(PreferenceExample.of(
                            randomIds(random, PROMPT_TOKENS, vocabulary),
                            randomIds(random, RESPONSE_TOKENS, vocabulary),
                            randomIds(random, RESPONSE_TOKENS, vocabulary)));
                }
                // the reference is the starting policy, scored before training as a DPO run does
                pairs = ReferenceLogProbs.compute(model, pairs, ROWS);
                // chosen and rejected rows of every pair go through the policy
                double dpo = measure(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), pairs, warmup, timed,
                        2 * ROWS * (PROMPT_TOKENS + RESPONSE_TOKENS));
                System.out.printf("result %s dpo_step %.1f%n", size, dpo);

                List<PromptResponse> rows = new ArrayList<>();
                for (int i = 0; i < ROWS; i++) {
                    rows.add(new PromptResponse(
                            randomIds(random, PROMPT_TOKENS, vocabulary), randomIds(random, RESPONSE_TOKENS, vocabulary)));
                }
                double sft = measure(model, new SftObjective(model), rows, warmup, timed,
                        ROWS * (PROMPT_TOKENS + RESPONSE_TOKENS));
                System.out.printf("result %s sft_step %.1f%n", size, sft);

                // engine only: the same DPO step training LoRA adapters (PEFT's usual rank 8 on q_proj and v_proj)
                // on the frozen base; the reference stays the base, scored above
                try (LoraAdapters adapters = LoraOptions.defaults().attachTo(model, 1)) {
                    double lora = measure(model, new DpoObjective(model, DpoOptions.sigmoid(0.1)), pairs, warmup,
                            timed, 2 * ROWS * (PROMPT_TOKENS + RESPONSE_TOKENS));
                    System.out.printf("result %s lora_dpo_step %.1f%n", size, lora);
                }
            }
        }
    }

    /**
     * Runs warmup + timed optimizer steps through the trainer on the batch repeated (every row has the same
     * length, so whatever rows the shuffled order puts in a step, its shapes are the same) and returns tokens/s
     * of the median timed step.
     */
    static <T> double measure(
            LanguageModel model, Objective<T> objective, List<T> batch, int warmup, int timed, long tokensPerStep) {
        int steps = warmup + timed;
        List<T> examples = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            examples.addAll(batch);
        }
        // the trainer's defaults: AdamW (no decay), clipping at norm 1, one pass of 16 examples per step
        TrainingOptions options = TrainingOptions.builder().batches(1, ROWS, 1).build();
        List<Long> stamps = new ArrayList<>();
        stamps.add(System.nanoTime());
        new Trainer<>(model, objective, options).train(examples, (StepMetrics metrics) -> {
            if (metrics.skipped()) {
                throw new IllegalStateException("step " + metrics.step() + " was not finite");
            }
            stamps.add(System.nanoTime());
        }, null);
        List<Double> seconds = new ArrayList<>();
        for (int s = warmup; s < steps; s++) {
            seconds.add((stamps.get(s + 1) - stamps.get(s)) / 1e9);
        }
        Collections.sort(seconds);
        double median = seconds.size() % 2 == 1
                ? seconds.get(seconds.size() / 2)
                : (seconds.get(seconds.size() / 2 - 1) + seconds.get(seconds.size() / 2)) / 2;
        System.err.println("steps " + Arrays.toString(seconds.toArray()));
        return tokensPerStep / median;
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
