package org.tsr.generator.openai;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tsr.engine.sampling.DecodedToken;
import org.tsr.inference.GeneratedText;

/** Gathers the tokens of each choice as they are decoded, for an answer sent whole. */
final class TokenLog {

    private final AnswerSettings settings;
    private final Map<Integer, List<DecodedToken>> byChoice = new HashMap<>();

    TokenLog(AnswerSettings settings) {
        this.settings = settings;
    }

    void add(DecodedToken token) {
        if (token.sampled() != null) {
            byChoice.computeIfAbsent(
                            settings.choiceIndex(token.promptIndex(), token.sampleIndex()), index -> new ArrayList<>())
                    .add(token);
        }
    }

    List<Choice> choices(List<List<GeneratedText>> samples) {
        List<Choice> choices = new ArrayList<>();
        for (List<GeneratedText> prompt : samples) {
            for (GeneratedText sample : prompt) {
                int index = settings.choiceIndex(sample.promptIndex(), sample.sampleIndex());
                choices.add(new Choice(
                        index, sample.text(), sample.finishReason(), byChoice.getOrDefault(index, List.of())));
            }
        }
        return choices;
    }
}
