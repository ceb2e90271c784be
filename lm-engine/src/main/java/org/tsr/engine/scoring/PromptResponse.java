package org.tsr.engine.scoring;

/** A response to score, in the context of its prompt, as token ids. */
public record PromptResponse(long[] promptIds, long[] responseIds) {

    public PromptResponse {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("the prompt needs at least one token to condition the response on");
        }
    }

    int length() {
        return promptIds.length + responseIds.length;
    }
}
