package org.tsr.inference.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.sampling.Completion;
import org.tsr.engine.sampling.Generator;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.engine.tokenizer.ChatTemplate;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.TextBackend;

/**
 * A model generation loaded into this JVM. Calls take turns: one batch at a time uses the model, which is faster on a
 * CPU than interleaving and keeps the model from being closed mid-call when the cache evicts it.
 */
public final class EmbeddedBackend implements TextBackend, AutoCloseable {

    private final String name;
    private final LanguageModel model;
    private final Generator generator;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    EmbeddedBackend(String name, LanguageModel model) {
        this.name = name;
        this.model = model;
        this.generator = new Generator(model);
    }

    @Override
    public List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings settings) {
        return useModel(loaded -> toGeneratedText(
                generator.generate(prompts, settings.requireFits(loaded.config().contextLength()))));
    }

    @Override
    public List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings settings, TokenFeed feed) {
        return useModel(loaded -> toGeneratedText(
                generator.generate(prompts, settings.requireFits(loaded.config().contextLength()), feed)));
    }

    @Override
    public List<List<GeneratedText>> chat(List<List<ChatMessage>> conversations, SamplingSettings settings) {
        return complete(rendered(conversations), settings);
    }

    @Override
    public List<List<GeneratedText>> chat(
            List<List<ChatMessage>> conversations, SamplingSettings settings, TokenFeed feed) {
        return complete(rendered(conversations), settings, feed);
    }

    private List<String> rendered(List<List<ChatMessage>> conversations) {
        ChatTemplate template = model.chatTemplate()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "model " + name
                                        + " has no chat template (chat_template.jinja or tokenizer_config.json); send raw prompts instead"));
        List<String> prompts = new ArrayList<>(conversations.size());
        for (List<ChatMessage> conversation : conversations) {
            prompts.add(template.render(conversation, true));
        }
        return prompts;
    }

    /** Runs other work on the model (scoring, say) in turn with sampling calls. */
    public <T> T useModel(Function<LanguageModel, T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("model " + name + " was unloaded while the request waited; retry it");
            }
            return work.apply(model);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                model.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private static List<List<GeneratedText>> toGeneratedText(List<List<Completion>> byPrompt) {
        List<List<GeneratedText>> result = new ArrayList<>(byPrompt.size());
        for (List<Completion> completions : byPrompt) {
            List<GeneratedText> samples = new ArrayList<>(completions.size());
            for (Completion completion : completions) {
                samples.add(new GeneratedText(
                        completion.promptIndex(),
                        completion.sampleIndex(),
                        completion.text(),
                        completion.promptTokens(),
                        completion.completionTokens(),
                        FinishReason.valueOf(completion.finishReason().name())));
            }
            result.add(samples);
        }
        return result;
    }
}
