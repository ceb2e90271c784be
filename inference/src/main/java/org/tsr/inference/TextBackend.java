package org.tsr.inference;

import java.util.List;
import org.tsr.contract.sampling.SamplingSettings;
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

    /** "embedded" or "remote", a bounded tag value for meters. */
    String kind();
}
