package org.tsr.judge.pairwise;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.ModelBackends;

/**
 * Pairwise evaluation with a model generation as the judge (embedded or remote): for each pair it asks with the
 * responses in the given order and swapped, and keeps a winner only when both orders agree.
 */
@Component
public class PairwiseJudge {

    private final ModelBackends backends;

    PairwiseJudge(ModelBackends backends) {
        this.backends = backends;
    }

    /** Two responses to one prompt. */
    public record Pair(String prompt, String first, String second) {}

    /** The verdict and the judge's text in each order. */
    public record Judged(Verdict verdict, String forwardText, String reversedText) {}

    public List<Judged> judge(
            long judgeGenerationId, List<Pair> pairs, PairwiseTemplate template, SamplingSettings settings) {
        List<List<ChatMessage>> conversations = new ArrayList<>(pairs.size() * 2);
        for (Pair pair : pairs) {
            conversations.add(List.of(ChatMessage.user(template.render(pair.prompt(), pair.first(), pair.second()))));
            conversations.add(List.of(ChatMessage.user(template.render(pair.prompt(), pair.second(), pair.first()))));
        }
        SamplingSettings single = new SamplingSettings(
                1,
                settings.temperature(),
                settings.topP(),
                settings.topK(),
                settings.maxTokens(),
                settings.stop(),
                settings.seed());
        List<List<GeneratedText>> texts = backends.backendFor(judgeGenerationId).chat(conversations, single);
        List<Judged> judged = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            String forward = texts.get(2 * i).get(0).text();
            String reversed = texts.get(2 * i + 1).get(0).text();
            Verdict verdict =
                    Verdict.combine(PairwiseTemplate.preferred(forward), PairwiseTemplate.preferred(reversed));
            judged.add(new Judged(verdict, forward, reversed));
        }
        return judged;
    }
}
