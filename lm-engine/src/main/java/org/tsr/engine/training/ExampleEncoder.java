package org.tsr.engine.training;

import java.util.Arrays;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.engine.tokenizer.ChatTemplate;
import org.tsr.engine.training.dpo.PreferenceExample;

/**
 * Turns prompt and response texts into token ids the way the generator sampled them: through the chat template
 * (the prompt as a user turn with the generation prompt, the response as the assistant turn with its end
 * marker) or as plain text with the end-of-sequence id after the response. Rows longer than {@code maxLength}
 * keep the start of the response (at least half the length when the prompt is long) and the end of the prompt.
 */
public final class ExampleEncoder {

    private final LanguageModel model;
    private final ChatTemplate chatTemplate;
    private final int maxLength;

    /**
     * @param chat format through the model's chat template; the model must have one
     * @param maxLength tokens per row at most; at most the model's context
     */
    public ExampleEncoder(LanguageModel model, boolean chat, int maxLength) {
        if (maxLength < 2 || maxLength > model.config().contextLength()) {
            throw new InvalidTrainingOptionException(
                    "maxLength",
                    "maxLength must be in [2, " + model.config().contextLength() + "] for this model, got "
                            + maxLength);
        }
        this.model = model;
        this.chatTemplate = chat
                ? model.chatTemplate()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "chat formatting asked for, but the model has no chat template"))
                : null;
        this.maxLength = maxLength;
    }

    public PromptResponse encode(String prompt, String response) {
        long[] promptIds = promptIds(prompt);
        long[] responseIds = responseIds(prompt, response);
        int kept = responseBudget(promptIds.length, responseIds.length);
        return new PromptResponse(tail(promptIds, maxLength - kept), Arrays.copyOf(responseIds, kept));
    }

    public PreferenceExample encodePair(String prompt, String chosen, String rejected) {
        long[] promptIds = promptIds(prompt);
        long[] chosenIds = responseIds(prompt, chosen);
        long[] rejectedIds = responseIds(prompt, rejected);
        int chosenKept = responseBudget(promptIds.length, chosenIds.length);
        int rejectedKept = responseBudget(promptIds.length, rejectedIds.length);
        return PreferenceExample.of(
                tail(promptIds, maxLength - Math.max(chosenKept, rejectedKept)),
                Arrays.copyOf(chosenIds, chosenKept),
                Arrays.copyOf(rejectedIds, rejectedKept));
    }

    private long[] promptIds(String prompt) {
        String text = chatTemplate == null ? prompt : chatTemplate.render(List.of(ChatMessage.user(prompt)), true);
        long[] ids = model.tokenizer().encode(text);
        // a row needs a token to condition on; an empty plain prompt starts from BOS
        return ids.length > 0 ? ids : new long[] {model.generationConfig().bosTokenId()};
    }

    private long[] responseIds(String prompt, String response) {
        if (chatTemplate != null) {
            String promptText = chatTemplate.render(List.of(ChatMessage.user(prompt)), true);
            String full =
                    chatTemplate.render(List.of(ChatMessage.user(prompt), ChatMessage.assistant(response)), false);
            if (full.startsWith(promptText)) {
                return model.tokenizer().encode(full.substring(promptText.length()));
            }
        }
        long[] ids = model.tokenizer().encode(response);
        List<Integer> eos = model.generationConfig().eosTokenIds();
        if (eos.isEmpty()) {
            return ids;
        }
        long[] ended = Arrays.copyOf(ids, ids.length + 1);
        ended[ids.length] = eos.get(0);
        return ended;
    }

    private int responseBudget(int promptLength, int responseLength) {
        return Math.min(responseLength, Math.max(maxLength - promptLength, maxLength / 2));
    }

    private static long[] tail(long[] ids, int keep) {
        return ids.length <= keep ? ids : Arrays.copyOfRange(ids, ids.length - keep, ids.length);
    }
}
