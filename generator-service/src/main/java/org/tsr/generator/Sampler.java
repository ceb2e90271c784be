package org.tsr.generator;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.ModelBackends;
import org.tsr.inference.TextBackend;

/** Samples from a model generation through its backend and measures every call. */
@Component
public class Sampler {

    private final ModelBackends backends;
    private final GenerationMeters meters;

    Sampler(ModelBackends backends, GenerationMeters meters) {
        this.backends = backends;
        this.meters = meters;
    }

    public List<List<GeneratedText>> complete(
            long generationId, String modelRole, List<String> prompts, SamplingSettings settings) {
        return measured(generationId, modelRole, backend -> backend.complete(prompts, settings));
    }

    /** Like {@link #complete(long, String, List, SamplingSettings)}, reporting tokens to the feed as they come. */
    public List<List<GeneratedText>> complete(
            long generationId, String modelRole, List<String> prompts, SamplingSettings settings, TokenFeed feed) {
        return measured(generationId, modelRole, backend -> backend.complete(prompts, settings, feed));
    }

    public List<List<GeneratedText>> chat(
            long generationId, String modelRole, List<List<ChatMessage>> conversations, SamplingSettings settings) {
        return measured(generationId, modelRole, backend -> backend.chat(conversations, settings));
    }

    /** Like {@link #chat(long, String, List, SamplingSettings)}, reporting tokens to the feed as they come. */
    public List<List<GeneratedText>> chat(
            long generationId,
            String modelRole,
            List<List<ChatMessage>> conversations,
            SamplingSettings settings,
            TokenFeed feed) {
        return measured(generationId, modelRole, backend -> backend.chat(conversations, settings, feed));
    }

    private List<List<GeneratedText>> measured(
            long generationId, String modelRole, Function<TextBackend, List<List<GeneratedText>>> call) {
        TextBackend backend = backends.backendFor(generationId);
        long start = System.nanoTime();
        List<List<GeneratedText>> samples = call.apply(backend);
        meters.record(backend.kind(), modelRole, Duration.ofNanos(System.nanoTime() - start), samples);
        return samples;
    }

    /** User-turn conversations of one message each: how prompts are sent when they go through the chat format. */
    public static List<List<ChatMessage>> asUserTurns(List<String> prompts) {
        return prompts.stream().map(prompt -> List.of(ChatMessage.user(prompt))).toList();
    }
}
