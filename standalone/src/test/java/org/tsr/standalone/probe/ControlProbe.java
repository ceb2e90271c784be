package org.tsr.standalone.probe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.sampling.Completion;
import org.tsr.engine.sampling.Generator;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.engine.training.ExampleEncoder;
import org.tsr.engine.training.LearningRateSchedule;
import org.tsr.engine.training.StepMetrics;
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingOptions;
import org.tsr.engine.training.dpo.DpoLossType;
import org.tsr.engine.training.dpo.DpoObjective;
import org.tsr.engine.training.dpo.DpoOptions;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;
import org.tsr.engine.training.sft.SftObjective;
import org.tsr.tasks.Oracle;
import org.tsr.tasks.SuitePrompt;
import org.tsr.tasks.SuiteSpec;
import org.tsr.tasks.TaskSuite;

/** Engine-only oracle-judged SR loop for recipe exploration (no services, no database). */
public final class ControlProbe {

    static String arg(String[] args, String name, String otherwise) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return otherwise;
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(arg(args, "seed", "1"));
        int ift = Integer.parseInt(arg(args, "ift", "150"));
        int eft = Integer.parseInt(arg(args, "eft", "150"));
        int sftEpochs = Integer.parseInt(arg(args, "sftEpochs", "3"));
        double sftLr = Double.parseDouble(arg(args, "sftLr", "0.003"));
        int prompts = Integer.parseInt(arg(args, "prompts", "128"));
        int k = Integer.parseInt(arg(args, "k", "7"));
        int iterations = Integer.parseInt(arg(args, "iters", "3"));
        double lr = Double.parseDouble(arg(args, "lr", "1e-4"));
        double minLr = Double.parseDouble(arg(args, "minLr", "1e-5"));
        double beta = Double.parseDouble(arg(args, "beta", "0.1"));
        double rpo = Double.parseDouble(arg(args, "rpo", "1.0"));
        int epochs = Integer.parseInt(arg(args, "epochs", "2"));
        int batch = Integer.parseInt(arg(args, "batch", "16"));
        double temp = Double.parseDouble(arg(args, "temp", "1.0"));
        int eval = Integer.parseInt(arg(args, "eval", "100"));
        String size = arg(args, "size", "tiny");
        String schedule = arg(args, "schedule", "LINEAR");
        Path dir = Files.createTempDirectory("probe");
        Path cached = Path.of("/tmp/m0-" + size + "-" + seed + "-" + ift + "-" + eft + "-" + sftEpochs + "-" + sftLr);
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        var config = switch (size) {
            case "small" -> TinyModels.config(vocabulary, 256, 1024, 6, 8, 4, 256);
            default -> TinyModels.tiny(vocabulary);
        };
        TinyModels.create(dir.resolve("base"), config, vocabulary, seed);
        List<SuitePrompt> suite =
                TaskSuite.generate(new SuiteSpec(seed, Oracle.familyNames(), ift, eft, iterations, prompts, eval));
        List<SuitePrompt> evalSet =
                suite.stream().filter(p -> p.split().equals("EVAL")).toList();
        EngineOptions engine = EngineOptions.cpu(Integer.parseInt(arg(args, "threads", "2")));
        long t0 = System.nanoTime();
        boolean have = Files.exists(cached.resolve("config.json"));
        try (LanguageModel model = LanguageModel.load(have ? cached : dir.resolve("base"), engine)) {
            ExampleEncoder encoder =
                    new ExampleEncoder(model, true, model.config().contextLength());
            List<PromptResponse> examples = suite.stream()
                    .filter(p -> p.split().equals("IFT") || p.split().equals("EFT"))
                    .map(p -> encoder.encode(p.prompt(), p.reference()))
                    .toList();
            TrainingOptions sft = TrainingOptions.builder()
                    .learningRate(sftLr, sftLr / 10)
                    .schedule(LearningRateSchedule.Kind.COSINE, 10)
                    .batches(sftEpochs, 16, 1)
                    .seed(seed)
                    .build();
            if (!have) {
                new Trainer<>(model, new SftObjective(model), sft).train(examples, TrainingListener(), null);
                model.save(cached);
            }
            System.out.printf(
                    Locale.ROOT,
                    "SFT %d examples, %d steps, %.0f s%n",
                    examples.size(),
                    sft.totalSteps(examples.size()),
                    (System.nanoTime() - t0) / 1e9);
            List<String> m0Answers = greedy(model, evalSet);
            report("M0", evalSet, m0Answers, m0Answers);
            for (int it = 0; it < iterations; it++) {
                final int chunk = it;
                List<SuitePrompt> chunkPrompts = suite.stream()
                        .filter(p -> p.split().equals("ITERATION") && p.chunk() == chunk)
                        .toList();
                long ts = System.nanoTime();
                List<List<Completion>> samples = new Generator(model)
                        .generateChats(
                                chunkPrompts.stream()
                                        .map(p -> List.of(ChatMessage.user(p.prompt())))
                                        .toList(),
                                SamplingSettings.of(k, temp, 12, seed * 100 + it));
                double sampleSec = (System.nanoTime() - ts) / 1e9;
                List<PreferenceExample> pairs = new ArrayList<>();
                double gradeSum = 0;
                int exact = 0;
                int n = 0;
                double gap = 0;
                for (int p = 0; p < chunkPrompts.size(); p++) {
                    SuitePrompt prompt = chunkPrompts.get(p);
                    String best = null;
                    String worst = null;
                    int bestGrade = -1;
                    int worstGrade = 99;
                    for (Completion c : samples.get(p)) {
                        int g = Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), c.text())
                                .score();
                        gradeSum += g;
                        n++;
                        if (Oracle.exactMatch(prompt.reference(), c.text())) {
                            exact++;
                        }
                        if (g > bestGrade || (g == bestGrade && c.text().length() < best.length())) {
                            bestGrade = g;
                            best = c.text();
                        }
                        if (g < worstGrade || (g == worstGrade && c.text().length() < worst.length())) {
                            worstGrade = g;
                            worst = c.text();
                        }
                    }
                    if (bestGrade > worstGrade) {
                        pairs.add(encoder.encodePair(prompt.prompt(), best, worst));
                        gap += bestGrade - worstGrade;
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "iter %d: sampled %d in %.0f s, mean grade %.2f exact %.3f, %d pairs, gap %.2f%n",
                        it + 1,
                        n,
                        sampleSec,
                        gradeSum / n,
                        (double) exact / n,
                        pairs.size(),
                        gap / Math.max(1, pairs.size()));
                int overfit = Integer.parseInt(arg(args, "overfit", "0"));
                if (overfit > 0) {
                    List<String[]> texts = new ArrayList<>();
                    List<PreferenceExample> few = new ArrayList<>();
                    for (int p = 0; p < chunkPrompts.size() && few.size() < overfit; p++) {
                        SuitePrompt prompt = chunkPrompts.get(p);
                        String best = null, worst = null;
                        int bg = -1, wg = 99;
                        for (Completion c : samples.get(p)) {
                            int g = Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), c.text())
                                    .score();
                            if (g > bg) {
                                bg = g;
                                best = c.text();
                            }
                            if (g < wg) {
                                wg = g;
                                worst = c.text();
                            }
                        }
                        if (bg > wg) {
                            few.add(encoder.encodePair(prompt.prompt(), best, worst));
                            texts.add(new String[] {prompt.prompt(), best, worst});
                        }
                    }
                    List<PreferenceExample> ref = ReferenceLogProbs.compute(model, few, 32);
                    for (int round = 0; round < 6; round++) {
                        TrainingOptions o = TrainingOptions.builder()
                                .learningRate(lr, lr)
                                .schedule(LearningRateSchedule.Kind.CONSTANT, 0)
                                .batches(5, batch, 1)
                                .seed(round)
                                .build();
                        StepMetrics[] l = new StepMetrics[1];
                        new Trainer<>(
                                        model,
                                        new DpoObjective(
                                                model, new DpoOptions(beta, DpoLossType.SIGMOID, 0, rpo, false)),
                                        o)
                                .train(ref, m -> l[0] = m, null);
                        List<List<Completion>> g = new Generator(model)
                                .generateChats(
                                        texts.stream()
                                                .map(t -> List.of(ChatMessage.user(t[0])))
                                                .toList(),
                                        SamplingSettings.greedy(12));
                        int same = 0;
                        for (int i = 0; i < texts.size(); i++)
                            if (g.get(i).get(0).text().equals(texts.get(i)[1])) same++;
                        System.out.printf(
                                Locale.ROOT,
                                "overfit round %d: margin %.3f acc %.2f logpc %.2f logpr %.2f greedy==chosen %d/%d%n",
                                round,
                                l[0].rewardsMargins(),
                                l[0].rewardsAccuracies(),
                                l[0].logpsChosen(),
                                l[0].logpsRejected(),
                                same,
                                texts.size());
                    }
                    return;
                }
                List<PreferenceExample> withRef = ReferenceLogProbs.compute(model, pairs, 32);
                TrainingOptions dpo = TrainingOptions.builder()
                        .learningRate(lr, minLr)
                        .schedule(LearningRateSchedule.Kind.valueOf(schedule), 0)
                        .batches(epochs, batch, 1)
                        .seed(seed + it)
                        .build();
                long tt = System.nanoTime();
                StepMetrics[] last = new StepMetrics[1];
                new Trainer<>(
                                model,
                                new DpoObjective(model, new DpoOptions(beta, DpoLossType.SIGMOID, 0, rpo, false)),
                                dpo)
                        .train(withRef, m -> last[0] = m, null);
                System.out.printf(
                        Locale.ROOT,
                        "  DPO %d steps in %.0f s, last margin %.3f acc %.2f loss %.3f%n",
                        dpo.totalSteps(withRef.size()),
                        (System.nanoTime() - tt) / 1e9,
                        last[0].rewardsMargins(),
                        last[0].rewardsAccuracies(),
                        last[0].loss());
                report("M" + (it + 1), evalSet, greedy(model, evalSet), m0Answers);
            }
        }
        System.out.printf(Locale.ROOT, "total %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    static org.tsr.engine.training.TrainingListener TrainingListener() {
        return m -> {};
    }

    static List<String> greedy(LanguageModel model, List<SuitePrompt> prompts) {
        List<List<Completion>> out = new Generator(model)
                .generateChats(
                        prompts.stream()
                                .map(p -> List.of(ChatMessage.user(p.prompt())))
                                .toList(),
                        SamplingSettings.greedy(12));
        return out.stream().map(c -> c.get(0).text()).toList();
    }

    static void report(String name, List<SuitePrompt> prompts, List<String> answers, List<String> m0) {
        double grade = 0;
        double win = 0;
        int exact = 0;
        java.util.Map<String, double[]> fam = new java.util.TreeMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            SuitePrompt p = prompts.get(i);
            int g = Oracle.grade(p.family(), p.prompt(), p.reference(), answers.get(i))
                    .score();
            int g0 = Oracle.grade(p.family(), p.prompt(), p.reference(), m0.get(i))
                    .score();
            grade += g;
            win += g > g0 ? 1 : g == g0 ? 0.5 : 0;
            boolean e = Oracle.exactMatch(p.reference(), answers.get(i));
            exact += e ? 1 : 0;
            fam.computeIfAbsent(p.family(), f -> new double[2])[0] += e ? 1 : 0;
            fam.get(p.family())[1]++;
        }
        StringBuilder f = new StringBuilder();
        fam.forEach((key, v) -> f.append(String.format(Locale.ROOT, " %s %.2f", key, v[0] / v[1])));
        System.out.printf(
                Locale.ROOT,
                "%s: grade %.3f exact %.3f win %.3f |%s%n",
                name,
                grade / prompts.size(),
                (double) exact / prompts.size(),
                win / prompts.size(),
                f);
    }
}
