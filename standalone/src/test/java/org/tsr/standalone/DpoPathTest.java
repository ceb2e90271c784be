package org.tsr.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.tsr.engine.training.Trainer;
import org.tsr.engine.training.TrainingListener;
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

/**
 * The DPO path end to end on the engine, as an iteration runs it: the policy samples answers to suite prompts in
 * the chat format, the oracle picks best and worst, the pairs are encoded as the trainer encodes them, and DPO (with
 * the demo's NLL term) trains on them. Trained long enough on a few dozen pairs, the policy must prefer each chosen
 * response more and more and answer those prompts greedily with it.
 */
class DpoPathTest {

    private static final int PAIRS = 24;

    @TempDir
    Path dir;

    @Test
    void overfittingOracleJudgedPairsOfTheOwnSamplesRaisesTheMarginAndMakesTheChosenTheGreedyAnswer() {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        Path base = TinyModels.create(dir.resolve("base"), TinyModels.tiny(vocabulary), vocabulary, 3);
        // one family the tiny model learns in a hundred SFT steps, so its samples lie near its greedy answer
        List<SuitePrompt> suite = TaskSuite.generate(new SuiteSpec(3, List.of("sort"), 300, 0, 1, 64, 1));
        try (LanguageModel model = LanguageModel.load(base, EngineOptions.cpu(2))) {
            ExampleEncoder encoder =
                    new ExampleEncoder(model, true, model.config().contextLength());
            List<PromptResponse> sft = suite.stream()
                    .filter(prompt -> prompt.split().equals("IFT"))
                    .map(prompt -> encoder.encode(prompt.prompt(), prompt.reference()))
                    .toList();
            new Trainer<>(
                            model,
                            new SftObjective(model),
                            TrainingOptions.builder()
                                    .learningRate(3e-3, 3e-4)
                                    .schedule(LearningRateSchedule.Kind.COSINE, 10)
                                    .batches(6, 16, 1)
                                    .seed(3)
                                    .build())
                    .train(sft, TrainingListener.NONE, null);

            List<String[]> texts = oracleJudgedPairs(model, suite);
            assertThat(texts).hasSize(PAIRS);
            List<PreferenceExample> pairs = ReferenceLogProbs.compute(
                    model,
                    texts.stream()
                            .map(text -> encoder.encodePair(text[0], text[1], text[2]))
                            .toList(),
                    32);

            long chosenBefore = chosenAnswers(model, texts);
            DpoObjective objective = new DpoObjective(model, new DpoOptions(0.1, DpoLossType.SIGMOID, 0, 1.0, false));
            List<Double> margins = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                TrainingOptions options = TrainingOptions.builder()
                        .learningRate(3e-4, 3e-4)
                        .schedule(LearningRateSchedule.Kind.CONSTANT, 0)
                        .batches(5, 8, 1)
                        .seed(round)
                        .build();
                List<Double> epochMargins = new ArrayList<>();
                new Trainer<>(model, objective, options)
                        .train(pairs, metrics -> epochMargins.add(metrics.rewardsMargins()), null);
                margins.add(epochMargins.subList(epochMargins.size() - 3, epochMargins.size()).stream()
                        .mapToDouble(Double::doubleValue)
                        .average()
                        .orElseThrow());
            }

            assertThat(margins).isSorted();
            assertThat(margins.get(margins.size() - 1)).isGreaterThan(1.0);
            long chosenAfter = chosenAnswers(model, texts);
            assertThat(chosenAfter).isGreaterThan(chosenBefore).isGreaterThanOrEqualTo(PAIRS * 3 / 4);
        }
    }

    /** How many of the pairs' prompts the model answers greedily with the chosen response. */
    private static long chosenAnswers(LanguageModel model, List<String[]> texts) {
        List<Completion> greedy = new Generator(model)
                        .generateChats(
                                texts.stream()
                                        .map(text -> List.of(ChatMessage.user(text[0])))
                                        .toList(),
                                SamplingSettings.greedy(12))
                        .stream()
                        .map(samples -> samples.get(0))
                        .toList();
        long chosen = 0;
        for (int i = 0; i < texts.size(); i++) {
            chosen += greedy.get(i).text().equals(texts.get(i)[1]) ? 1 : 0;
        }
        return chosen;
    }

    /** Prompt, chosen and rejected texts: the best and the worst of the policy's own samples by the oracle. */
    private static List<String[]> oracleJudgedPairs(LanguageModel model, List<SuitePrompt> suite) {
        List<SuitePrompt> prompts = suite.stream()
                .filter(prompt -> prompt.split().equals("ITERATION"))
                .toList();
        List<List<Completion>> samples = new Generator(model)
                .generateChats(
                        prompts.stream()
                                .map(prompt -> List.of(ChatMessage.user(prompt.prompt())))
                                .toList(),
                        SamplingSettings.of(7, 0.7, 12, 3));
        List<String[]> pairs = new ArrayList<>();
        for (int p = 0; p < prompts.size() && pairs.size() < PAIRS; p++) {
            SuitePrompt prompt = prompts.get(p);
            String best = null;
            String worst = null;
            int bestGrade = Integer.MIN_VALUE;
            int worstGrade = Integer.MAX_VALUE;
            for (Completion sample : samples.get(p)) {
                int grade = Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), sample.text())
                        .score();
                if (grade > bestGrade) {
                    bestGrade = grade;
                    best = sample.text();
                }
                if (grade < worstGrade) {
                    worstGrade = grade;
                    worst = sample.text();
                }
            }
            if (bestGrade > worstGrade) {
                pairs.add(new String[] {prompt.prompt(), best, worst});
            }
        }
        return pairs;
    }
}
