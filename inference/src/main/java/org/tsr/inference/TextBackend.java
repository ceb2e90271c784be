package org.tsr.inference;

import java.util.List;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;

/**
 * Produces samples from one model generation: on this JVM's engine ({@code EmbeddedBackend}) or on an
 * OpenAI-compatible server ({@code RemoteBackend}).
 */
public interface TextBackend {

    /** Samples {@code settings.n()} completions of each raw prompt; the result holds one list per prompt. */
    List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings settings);

    /** Samples replies to each conversation, rendered through the model's chat format. */
    List<List<GeneratedText>> chat(List<List<ChatMessage>> conversations, SamplingSettings settings);

    /**
     * Like {@link #complete(List, SamplingSettings)}, reporting the tokens to the feed as they are decoded (a remote
     * server's answer arrives whole, so there each sample is reported once, whole, without log-probabilities).
     *
     * @throws UnsupportedSamplingException if the feed asks for what this backend cannot report
     */
    List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings settings, TokenFeed feed);

    /** Like {@link #chat(List, SamplingSettings)}, reporting the tokens to the feed as they are decoded. */
    List<List<GeneratedText>> chat(List<List<ChatMessage>> conversations, SamplingSettings settings, TokenFeed feed);

    /** "embedded" or "remote", a bounded tag value for meters. */
    String kind();
}
