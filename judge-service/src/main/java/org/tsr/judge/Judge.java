package org.tsr.judge;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.ModelBackends;
import org.tsr.inference.SamplingSettings;
import org.tsr.judge.rubric.JudgeTemplate;
import org.tsr.judge.rubric.ScoreParser;
import org.tsr.judge.rubric.ScoreParser.ParsedScore;

/**
 * LLM-as-a-Judge: a model generation rates responses with the judge template, k samples each, and every sample's
 * score is parsed from its text.
 */
@Component
public class Judge {

    private final ModelBackends backends;
    private final JudgeMeters meters;
    private final ScoreParser parser = ScoreParser.fivePoint();

    Judge(ModelBackends backends, JudgeMeters meters) {
        this.backends = backends;
        this.meters = meters;
    }

    /** A prompt and the response to judge. */
    public record Item(String prompt, String response) {}

    /** One judge sample: its raw text and the score read from it (or why there is none). */
    public record Sample(int sampleIndex, String text, ParsedScore score) {}

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
        List<List<ChatMessage>> conversations = new ArrayList<>(items.size());
        for (Item item : items) {
            conversations.add(List.of(ChatMessage.user(template.render(item.prompt(), item.response()))));
        }
        List<List<GeneratedText>> texts = backends.backendFor(judgeGenerationId).chat(conversations, settings);
        List<List<Sample>> judged = new ArrayList<>(items.size());
        for (List<GeneratedText> samples : texts) {
            List<Sample> parsed = new ArrayList<>(samples.size());
            for (GeneratedText sample : samples) {
                ParsedScore score = parser.parse(sample.text());
                meters.record(modelRole, score);
                parsed.add(new Sample(sample.sampleIndex(), sample.text(), score));
            }
            judged.add(parsed);
        }
        return judged;
    }
}
