package org.tsr.generator.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import org.tsr.engine.sampling.DecodedToken;
import org.tsr.engine.sampling.TokenLogprob;

/** OpenAI's {@code chat.completion} and {@code chat.completion.chunk} objects. */
final class ChatFormat implements AnswerFormat {

    private final AnswerHeader header;
    private final boolean logprobs;

    ChatFormat(AnswerHeader header, AnswerSettings settings) {
        this.header = header;
        this.logprobs = settings.topLogprobs() != null;
    }

    record Completion(
            String id, String object, long created, String model, List<CompletionChoice> choices, Usage usage) {}

    record CompletionChoice(
            int index,
            Message message,
            Logprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {}

    record Message(String role, String content, String refusal) {}

    record Chunk(
            String id,
            String object,
            long created,
            String model,
            List<ChunkChoice> choices,
            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {}

    record ChunkChoice(
            int index,
            Delta delta,
            Logprobs logprobs,
            @JsonProperty("finish_reason") String finishReason) {}

    /** What a chunk adds to a choice's message: the role first, then pieces of content; nothing in the last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {}

    record Logprobs(List<TokenEntry> content, List<TokenEntry> refusal) {}

    record TokenEntry(
            String token,
            double logprob,
            List<Integer> bytes,
            @JsonProperty("top_logprobs") List<Alternative> topLogprobs) {}

    record Alternative(String token, double logprob, List<Integer> bytes) {}

    @Override
    public Completion whole(List<Choice> choices, Usage usage) {
        List<CompletionChoice> rendered = new ArrayList<>(choices.size());
        for (Choice choice : choices) {
            Logprobs entries = logprobs
                    ? new Logprobs(
                            choice.tokens().stream().map(ChatFormat::entry).toList(), null)
                    : null;
            rendered.add(new CompletionChoice(
                    choice.index(),
                    new Message("assistant", choice.text(), null),
                    entries,
                    choice.finishReason().apiName()));
        }
        return new Completion(header.id(), "chat.completion", header.created(), header.model(), rendered, usage);
    }

    @Override
    public List<Object> opening(int choices) {
        List<Object> chunks = new ArrayList<>(choices);
        for (int index = 0; index < choices; index++) {
            chunks.add(chunk(new ChunkChoice(index, new Delta("assistant", ""), null, null)));
        }
        return chunks;
    }

    @Override
    public List<Object> chunks(int index, DecodedToken token) {
        List<Object> chunks = new ArrayList<>(2);
        boolean reported = logprobs && token.sampled() != null;
        if (!token.text().isEmpty() || reported) {
            Logprobs entries = reported ? new Logprobs(List.of(entry(token)), null) : null;
            chunks.add(chunk(new ChunkChoice(index, new Delta(null, token.text()), entries, null)));
        }
        if (token.isLast()) {
            chunks.add(chunk(new ChunkChoice(
                    index, new Delta(null, null), null, token.finishReason().apiName())));
        }
        return chunks;
    }

    @Override
    public Chunk usage(Usage usage) {
        return new Chunk(header.id(), "chat.completion.chunk", header.created(), header.model(), List.of(), usage);
    }

    private Chunk chunk(ChunkChoice choice) {
        return new Chunk(header.id(), "chat.completion.chunk", header.created(), header.model(), List.of(choice), null);
    }

    private static TokenEntry entry(DecodedToken token) {
        TokenLogprob sampled = token.sampled();
        List<Alternative> alternatives = token.topLogprobs().stream()
                .map(top -> new Alternative(top.token(), top.logprob(), TokenBytes.of(top.token())))
                .toList();
        return new TokenEntry(sampled.token(), sampled.logprob(), TokenBytes.of(sampled.token()), alternatives);
    }
}
