package org.tsr.judge;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.ModelBackends;
import org.tsr.inference.TextBackend;
import org.tsr.inference.embedded.EmbeddedBackend;
import org.tsr.judge.rubric.ExpectedScore;
import org.tsr.judge.rubric.JudgeTemplate;
import org.tsr.judge.rubric.ScoreParser;
import org.tsr.judge.rubric.ScoreParser.ParsedScore;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.tasks.Grade;
import org.tsr.tasks.Oracle;

/**
 * LLM-as-a-Judge: a model generation rates responses with the judge template, k samples each, and every sample's
 * score is parsed from its text. When the judge generation is the built-in oracle, the task suite's oracle grades
 * each response instead, once.
 */
@Component
public class Judge {

    private final ModelBackends backends;
    private final ModelGenerationRepository generations;
    private final JudgeMeters meters;
    private final ScoreParser parser = ScoreParser.fivePoint();

    Judge(ModelBackends backends, ModelGenerationRepository generations, JudgeMeters meters) {
        this.backends = backends;
        this.generations = generations;
        this.meters = meters;
    }

    /**
     * A prompt and the response to judge, with the prompt's task family and reference answer where it has them (the
     * built-in oracle grades with those), and the stored response's id (0 for a response not stored), which keys a
     * noisy oracle's draws.
     */
    public record Item(String prompt, String response, String family, String reference, long responseId) {

        public Item(String prompt, String response) {
            this(prompt, response, null, null, 0);
        }
    }

    /**
     * One judge sample: its raw text and the score read from it (or why there is none), and the tokens the judge model
     * read and wrote for it (null when no model judged).
     */
    public record Sample(
            int sampleIndex, String text, ParsedScore score, Integer promptTokens, Integer completionTokens) {

        public Sample(int sampleIndex, String text, ParsedScore score) {
            this(sampleIndex, text, score, null, null);
        }
    }

    /**
     * Judges every item with {@code settings.n()} samples each.
     *
     * @param modelRole the role of the model that wrote the responses, for the meters
     */
    public List<List<Sample>> judge(
            long judgeGenerationId,
            List<Item> items,
            JudgeTemplate template,
            SamplingSettings settings,
            String modelRole) {
        return judge(judgeGenerationId, items, template, settings, modelRole, null, false);
    }

    /**
     * Judges every item. When the judge is the built-in oracle and {@code noise} is given, each of the
     * {@code settings.n()} samples per response is drawn from that noisy oracle instead of the exact grade; with
     * {@code expectedScore}, a model judge's score for each sample is the probability-weighted mean of the score digits
     * after its reasoning ({@link ExpectedScore}) instead of the digit it wrote.
     *
     * @throws IllegalArgumentException if expected scores are asked of a judge that is not an embedded model
     */
    public List<List<Sample>> judge(
            long judgeGenerationId,
            List<Item> items,
            JudgeTemplate template,
            SamplingSettings settings,
            String modelRole,
            NoisyOracle noise,
            boolean expectedScore) {
        if (generations
                .findById(judgeGenerationId)
                .map(ModelGeneration::isBuiltinOracle)
                .orElse(false)) {
            return oracle(items, modelRole, noise, settings.n());
        }
        List<List<ChatMessage>> conversations = new ArrayList<>(items.size());
        List<String> judgePrompts = new ArrayList<>(items.size());
        for (Item item : items) {
            String judgePrompt = template.render(item.prompt(), item.response());
            judgePrompts.add(judgePrompt);
            conversations.add(List.of(ChatMessage.user(judgePrompt)));
        }
        TextBackend backend = backends.backendFor(judgeGenerationId);
        List<List<GeneratedText>> texts = backend.chat(conversations, settings);
        List<List<Double>> expected = expectedScore ? expectedScores(backend, judgePrompts, texts) : null;
        List<List<Sample>> judged = new ArrayList<>(items.size());
        for (int i = 0; i < texts.size(); i++) {
            List<GeneratedText> samples = texts.get(i);
            List<Sample> parsed = new ArrayList<>(samples.size());
            for (int s = 0; s < samples.size(); s++) {
                GeneratedText sample = samples.get(s);
                ParsedScore score = expected == null
                        ? parser.parse(sample.text())
                        : ParsedScore.of(expected.get(i).get(s));
                meters.record(modelRole, score);
                parsed.add(new Sample(
                        sample.sampleIndex(), sample.text(), score, sample.promptTokens(), sample.completionTokens()));
            }
            judged.add(parsed);
        }
        return judged;
    }

    private static List<List<Double>> expectedScores(
            TextBackend backend, List<String> judgePrompts, List<List<GeneratedText>> texts) {
        if (!(backend instanceof EmbeddedBackend embedded)) {
            throw new IllegalArgumentException("expected-score judging reads the judge's score probabilities, which"
                    + " only an embedded judge model gives here; a remote judge would need top_logprobs");
        }
        List<String> prompts = new ArrayList<>();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            for (GeneratedText sample : texts.get(i)) {
                prompts.add(judgePrompts.get(i));
                written.add(sample.text());
            }
        }
        List<Double> flat = embedded.useModel(model -> new ExpectedScore(model, 0, 5).scores(prompts, written));
        List<List<Double>> byItem = new ArrayList<>(texts.size());
        int next = 0;
        for (List<GeneratedText> samples : texts) {
            byItem.add(flat.subList(next, next + samples.size()));
            next += samples.size();
        }
        return byItem;
    }

    /**
     * The built-in oracle as the judge: one deterministic judgment per response, its reason and score; or, with
     * {@code noise}, {@code samples} judgments per response drawn from the noisy oracle.
     */
    private List<List<Sample>> oracle(List<Item> items, String modelRole, NoisyOracle noise, int samples) {
        List<List<Sample>> judged = new ArrayList<>(items.size());
        for (Item item : items) {
            List<Sample> drawn = new ArrayList<>();
            if (!Oracle.canGrade(item.reference())) {
                drawn.add(new Sample(
                        0, "", ParsedScore.failed("the built-in oracle grades only prompts with a reference answer")));
            } else {
                Grade grade = Oracle.grade(item.family(), item.prompt(), item.reference(), item.response());
                if (noise == null) {
                    drawn.add(new Sample(0, grade.judgment(), ParsedScore.of(grade.score())));
                } else {
                    for (int index = 0; index < samples; index++) {
                        int score = noise.score(grade.score(), item.responseId(), index);
                        String text = score == grade.score() ? grade.judgment() : "noise. Score: " + score;
                        drawn.add(new Sample(index, text, ParsedScore.of(score)));
                    }
                }
            }
            drawn.forEach(sample -> meters.record(modelRole, sample.score()));
            judged.add(drawn);
        }
        return judged;
    }
}
