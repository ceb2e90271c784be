package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsr.engine.sampling.DecodedToken;
import org.tsr.engine.sampling.TokenLogprob;

/**
 * OpenAI's legacy {@code text_completion} object, whole and as stream chunks, with the legacy {@code logprobs}: for
 * each token its text, its log-probability, the most likely tokens with theirs (the sampled token added when it is not
 * among them, so up to logprobs + 1 entries, as OpenAI does) and its character offset counted from the start of the
 * prompt.
 */
final class TextFormat implements AnswerFormat {

    private final AnswerHeader header;
    private final boolean logprobs;
    private final int[] promptLengths;
    private final int choicesPerPrompt;
    // while streaming: where the next token of each choice begins
    private final int[] offsets;

    TextFormat(AnswerHeader header, AnswerSettings settings, List<String> prompts) {
        this.header = header;
        this.logprobs = settings.topLogprobs() != null;
        this.promptLengths =
                prompts.stream().mapToInt(p -> p.codePointCount(0, p.length())).toArray();
        this.choicesPerPrompt = settings.sampling().n();
        this.offsets = new int[prompts.size() * choicesPerPrompt];
        for (int index = 0; index < offsets.length; index++) {
            offsets[index] = promptLengths[index / choicesPerPrompt];
        }
    }

    record Completion(
            String id,
            String object,
            long created,
            String model,
            List<CompletionChoice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

    record CompletionChoice(
            int index,
            String text,
            Logprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {}

    record Logprobs(
            List<String> tokens,
            @JsonProperty("token_logprobs") List<Double> tokenLogprobs,
            @JsonProperty("top_logprobs") List<Map<String, Double>> topLogprobs,
            @JsonProperty("text_offset") List<Integer> textOffset) {}

    @Override
    public Completion whole(List<Choice> choices, Usage usage) {
        List<CompletionChoice> rendered = new ArrayList<>(choices.size());
        for (Choice choice : choices) {
            Logprobs entries = null;
            if (logprobs) {
                int offset = promptLengths[choice.index() / choicesPerPrompt];
                entries = new Logprobs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                for (DecodedToken token : choice.tokens()) {
                    offset = append(entries, token.sampled(), token.topLogprobs(), offset);
                }
            }
            rendered.add(new CompletionChoice(
                    choice.index(),
                    choice.text(),
                    entries,
                    choice.finishReason().apiName()));
        }
        return completion(rendered, usage);
    }

    @Override
    public List<Object> opening(int choices) {
        return List.of();
    }

    @Override
    public List<Object> chunks(int index, DecodedToken token) {
        List<Object> chunks = new ArrayList<>(2);
        boolean reported = logprobs && token.sampled() != null;
        if (!token.text().isEmpty() || reported) {
            Logprobs entries = null;
            if (reported) {
                entries = new Logprobs(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                offsets[index] = append(entries, token.sampled(), token.topLogprobs(), offsets[index]);
            }
            chunks.add(completion(List.of(new CompletionChoice(index, token.text(), entries, null)), null));
        }
        if (token.isLast()) {
            chunks.add(completion(
                    List.of(new CompletionChoice(
                            index, "", null, token.finishReason().apiName())),
                    null));
        }
        return chunks;
    }

    @Override
    public Completion usage(Usage usage) {
        return completion(List.of(), usage);
    }

    private Completion completion(List<CompletionChoice> choices, Usage usage) {
        return new Completion(header.id(), "text_completion", header.created(), header.model(), choices, usage);
    }

    /** Adds one token's entries; returns where the next token's text begins. */
    private static int append(Logprobs entries, TokenLogprob sampled, List<TokenLogprob> top, int offset) {
        Map<String, Double> likely = new LinkedHashMap<>();
        for (TokenLogprob alternative : top) {
            likely.putIfAbsent(alternative.token(), alternative.logprob());
        }
        likely.putIfAbsent(sampled.token(), sampled.logprob());
        entries.tokens().add(sampled.token());
        entries.tokenLogprobs().add(sampled.logprob());
        entries.topLogprobs().add(likely);
        entries.textOffset().add(offset);
        return offset + sampled.token().codePointCount(0, sampled.token().length());
    }
}
