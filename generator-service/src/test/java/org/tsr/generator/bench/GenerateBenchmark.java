package org.tsr.generator.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.sampling.Generator;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.generator.GeneratorServiceApplication;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.testkit.TestDatabase;

/**
 * What the generator-service adds to the engine's own time: the same prompts and sampling settings, once as a bare
 * engine call and once end to end through the service (a GENERATE unit enqueued, claimed by the service's worker,
 * sampled through the model cache and stored), alternated over several rounds on the tiny model. Prints last
 * {@code generate-service-overhead=<fraction>}: (service time - engine time) / engine time, medians of the rounds.
 *
 * <p>Run it with {@code bench/run.sh generate}.
 */
public final class GenerateBenchmark {

    private static final int PROMPTS = 64;
    private static final int BATCH = 16;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GeneratorServiceApplication.class)
                .run(
                        "--spring.datasource.url=" + db.url(),
                        "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + db.password(),
                        "--server.port=0",
                        "--tsr.generator.worker-threads=1",
                        "--tsr.generator.idle-poll=5ms",
                        "--tsr.generator.batch-prompts=" + BATCH,
                        "--tsr.inference.intra-op-threads=" + threads,
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN")) {
            ModelGeneration m0 = TinyModelFixture.register(context.getBean(ModelGenerationRepository.class));
            List<Prompt> prompts = prompts(context);
            SamplingSettings sampling = new SamplingSettings(4, 0.7, 0.9, 0, 48, List.of(), 1);
            WorkQueue queue = context.getBean(WorkQueue.class);
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

            try (LanguageModel model = LanguageModel.load(TinyModelFixture.folder(), EngineOptions.cpu(threads))) {
                Generator generator = new Generator(model);
                List<String> texts = prompts.stream().map(Prompt::getText).toList();
                engineSeconds(model, generator, texts, sampling); // warm-up: native kernels, JIT
                throughService(queue, m0, prompts, sampling); // warm-up: model cache, connection pool
                double[] engine = new double[ROUNDS];
                double[] service = new double[ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    engine[round] = engineSeconds(model, generator, texts, sampling);
                    // each round stores its rows afresh, as a real unit would
                    jdbc.update("delete from response where generation_id = ?", m0.getId());
                    service[round] = throughService(queue, m0, prompts, sampling);
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: engine %.3f s, service %.3f s%n",
                            round + 1,
                            engine[round],
                            service[round]);
                }
                double engineMedian = median(engine);
                double serviceMedian = median(service);
                System.out.printf(
                        Locale.ROOT,
                        "%d prompts x %d samples x up to %d tokens, batches of %d, %d threads, database: %s%n",
                        PROMPTS,
                        sampling.n(),
                        sampling.maxTokens(),
                        BATCH,
                        threads,
                        db.source());
                System.out.printf(
                        Locale.ROOT, "engine median %.3f s, service median %.3f s%n", engineMedian, serviceMedian);
                System.out.printf(
                        Locale.ROOT, "generate-service-overhead=%.3f%n", (serviceMedian - engineMedian) / engineMedian);
            }
        }
    }

    /** The engine's own work for the same prompts: chat formatting and sampling, batch by batch. */
    private static double engineSeconds(
            LanguageModel model, Generator generator, List<String> texts, SamplingSettings sampling) {
        long start = System.nanoTime();
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<String> rendered = texts.subList(from, Math.min(texts.size(), from + BATCH)).stream()
                    .map(text -> model.chatTemplate().orElseThrow().render(List.of(ChatMessage.user(text)), true))
                    .toList();
            generator.generate(rendered, sampling);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double throughService(
            WorkQueue queue, ModelGeneration generation, List<Prompt> prompts, SamplingSettings sampling)
            throws InterruptedException {
        String ids = prompts.stream()
                .map(p -> p.getId().toString())
                .reduce((a, b) -> a + "," + b)
                .orElseThrow();
        String payload = """
                {"iterationId": null, "generationId": %d, "purpose": "EVAL", "promptIds": [%s], "chat": true,
                 "sampling": {"n": %d, "temperature": %s, "topP": %s, "topK": 0, "maxTokens": %d, "stop": [],
                              "seed": %d}}
                """.formatted(
                        generation.getId(),
                        ids,
                        sampling.n(),
                        sampling.temperature(),
                        sampling.topP(),
                        sampling.maxTokens(),
                        sampling.seed() + System.nanoTime());
        long start = System.nanoTime();
        long id = queue.enqueue(NewWorkUnit.of(WorkStage.GENERATE, null, payload));
        while (true) {
            var unit = queue.find(id).orElseThrow();
            switch (unit.status()) {
                case DONE -> {
                    return (System.nanoTime() - start) / 1e9;
                }
                case FAILED -> throw new IllegalStateException("benchmark unit failed: " + unit.lastError());
                default -> Thread.sleep(2);
            }
        }
    }

    private static List<Prompt> prompts(ConfigurableApplicationContext context) {
        PromptSet set = context.getBean(PromptSetRepository.class)
                .save(new PromptSet("generate-bench-" + UUID.randomUUID(), "benchmark prompts"));
        PromptRepository repository = context.getBean(PromptRepository.class);
        String[] words = {"banana", "kitten", "orange", "planet", "silver", "garden", "rocket", "window"};
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < PROMPTS; i++) {
            String word = words[i % words.length];
            String text = switch (i % 3) {
                case 0 -> "sort: " + word;
                case 1 -> "reverse: " + word;
                default -> "count " + word.charAt(1) + ": " + word;
            };
            prompts.add(repository.save(new Prompt(set.getId(), PromptSplit.EVAL, null, i, text, null, "bench")));
        }
        return prompts;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private GenerateBenchmark() {}
}
