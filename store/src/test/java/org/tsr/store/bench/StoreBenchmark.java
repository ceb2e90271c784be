package org.tsr.store.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.store.StoreTestApplication;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunMethod;
import org.tsr.store.run.RunRepository;
import org.tsr.store.workqueue.NewWorkUnit;
import org.tsr.store.workqueue.StageWorker;
import org.tsr.store.workqueue.WorkQueue;
import org.tsr.store.workqueue.WorkStage;
import org.tsr.testkit.TestDatabase;

/**
 * Measures the store on the write load of one paper-scale TSR iteration: 4,000 prompts, 7 policy and 7 anchor
 * responses each of about 400 characters, written through {@link ResponseWriter} in slices of 100 prompts as the
 * generator's work units would; then the work queue's claim-and-complete throughput with 4 workers.
 *
 * <p>Run it with {@code bench/run.sh store}. It uses TEST_DB_URL when set (the script points it at a local server
 * when one answers), else embedded PostgreSQL.
 */
public final class StoreBenchmark {

    private static final int PROMPTS = 4_000;
    private static final int SAMPLES_PER_PURPOSE = 7;
    private static final int PROMPTS_PER_UNIT = 100;
    private static final int RESPONSE_CHARS = 400;
    private static final int REPETITIONS = 3;
    private static final int QUEUE_UNITS = 4_000;
    private static final int QUEUE_WORKERS = 4;

    public static void main(String[] args) throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StoreTestApplication.class)
                .web(WebApplicationType.NONE)
                .run(
                        // command-line arguments outrank the store's defaults, unlike default properties
                        "--spring.datasource.url=" + db.url(),
                        "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + db.password(),
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN")) {
            System.out.printf(Locale.ROOT, "database: %s (%s)%n", db.source(), db.url());
            System.out.printf(
                    Locale.ROOT,
                    "cores: %d, java: %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            benchmarkResponses(context);
            benchmarkQueue(context);
        }
    }

    private static void benchmarkResponses(ConfigurableApplicationContext context) {
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        ResponseWriter writer = context.getBean(ResponseWriter.class);
        ModelGeneration m0 = context.getBean(ModelGenerationRepository.class)
                .save(ModelGeneration.imported(
                        "M0", GenerationKind.SFT, "file:///bench/m0", CheckpointFormat.HF_SAFETENSORS));
        PromptSet set = context.getBean(PromptSetRepository.class)
                .save(new PromptSet("bench-" + System.nanoTime(), "benchmark prompts"));
        jdbc.update(
                "insert into prompt (prompt_set_id, split, chunk, position, text) "
                        + "select ?, 'ITERATION', 0, g, 'benchmark prompt ' || g from generate_series(0, ?) g",
                set.getId(),
                PROMPTS - 1);
        long[] promptIds = jdbc
                .queryForList(
                        "select id from prompt where prompt_set_id = ? order by position", Long.class, set.getId())
                .stream()
                .mapToLong(Long::longValue)
                .toArray();
        Random random = new Random(42);
        String[] texts =
                IntStream.range(0, 64).mapToObj(i -> randomText(random)).toArray(String[]::new);

        double[] rowsPerSecond = new double[REPETITIONS];
        for (int repetition = 0; repetition < REPETITIONS; repetition++) {
            Run run = context.getBean(RunRepository.class).save(new Run("bench", RunMethod.TSR, m0.getId(), "{}"));
            Iteration iteration =
                    context.getBean(IterationRepository.class).save(new Iteration(run.getId(), 0, m0.getId(), 0));
            List<List<NewResponse>> units = responsesByUnit(promptIds, m0.getId(), iteration.getId(), texts);
            long rows = units.stream().mapToLong(List::size).sum();
            long start = System.nanoTime();
            long inserted = 0;
            for (List<NewResponse> unit : units) {
                inserted += writer.saveAll(unit);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (inserted != rows) {
                throw new IllegalStateException("expected " + rows + " new rows, stored " + inserted);
            }
            rowsPerSecond[repetition] = rows / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "responses  run %d: %,d rows of ~%d chars in %.2f s = %,.0f rows/s%n",
                    repetition + 1,
                    rows,
                    RESPONSE_CHARS,
                    seconds,
                    rowsPerSecond[repetition]);
        }
        Arrays.sort(rowsPerSecond);
        System.out.printf(
                Locale.ROOT,
                "store-bench response_rows_per_s median=%.0f best=%.0f target=25000%n",
                rowsPerSecond[REPETITIONS / 2],
                rowsPerSecond[REPETITIONS - 1]);
    }

    private static List<List<NewResponse>> responsesByUnit(
            long[] promptIds, long generationId, long iterationId, String[] texts) {
        List<List<NewResponse>> units = new ArrayList<>();
        for (int from = 0; from < promptIds.length; from += PROMPTS_PER_UNIT) {
            List<NewResponse> unit = new ArrayList<>();
            for (int p = from; p < Math.min(promptIds.length, from + PROMPTS_PER_UNIT); p++) {
                for (ResponsePurpose purpose : List.of(ResponsePurpose.POLICY, ResponsePurpose.ANCHOR)) {
                    for (int sample = 0; sample < SAMPLES_PER_PURPOSE; sample++) {
                        String text = texts[(p * 31 + sample * 7 + purpose.ordinal()) % texts.length];
                        unit.add(new NewResponse(
                                promptIds[p],
                                generationId,
                                iterationId,
                                purpose,
                                sample,
                                text,
                                text.length() / 4,
                                FinishReason.STOP));
                    }
                }
            }
            units.add(unit);
        }
        return units;
    }

    private static void benchmarkQueue(ConfigurableApplicationContext context) throws InterruptedException {
        WorkQueue queue = context.getBean(WorkQueue.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.update("delete from work_unit where stage = 'EVALUATE'");
        queue.enqueueAll(IntStream.range(0, QUEUE_UNITS)
                .mapToObj(i -> NewWorkUnit.of(WorkStage.EVALUATE, null, "{\"slice\": " + i + "}"))
                .toList());
        long start = System.nanoTime();
        try (StageWorker worker = new StageWorker(
                        queue, WorkStage.EVALUATE, "bench", unit -> () -> {}, Duration.ofMillis(5))
                .start(QUEUE_WORKERS)) {
            while (!queue.counts(WorkStage.EVALUATE).settled()) {
                Thread.sleep(10);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = queue.counts(WorkStage.EVALUATE).done();
        System.out.printf(
                Locale.ROOT,
                "queue: %,d units claimed and completed by %d workers in %.2f s = %,.0f units/s%n",
                done,
                QUEUE_WORKERS,
                seconds,
                done / seconds);
        System.out.printf(
                Locale.ROOT, "store-bench queue_units_per_s=%.0f workers=%d%n", done / seconds, QUEUE_WORKERS);
    }

    private static String randomText(Random random) {
        String[] words = {
            "the", "answer", "is", "sorted", "letters", "model", "reverse", "sum", "of", "count", "because", "each",
            "step", "we", "check", "first", "then", "result", "word", "number"
        };
        StringBuilder text = new StringBuilder();
        while (text.length() < RESPONSE_CHARS) {
            text.append(words[random.nextInt(words.length)]).append(' ');
        }
        return text.substring(0, RESPONSE_CHARS);
    }

    private StoreBenchmark() {}
}
