package org.tsr.judge.rubric;

import java.util.Objects;

/**
 * The LLM-as-a-Judge prompt: a text with {@code {prompt}} and {@code {response}} placeholders, sent to the judge as
 * one user turn through its chat format. The default is an additive 5-point rubric in the spirit of the
 * Self-Rewarding paper; users can supply their own, such as that paper's exact prompt.
 */
public final class JudgeTemplate {

    public static final String PROMPT = "{prompt}";
    public static final String RESPONSE = "{response}";

    private static final String ADDITIVE_RUBRIC = """
            Rate the answer to the instruction below with the additive 5-point scale that follows. Start from \
            0 and add points:
            - 1 point if the answer is relevant to the instruction, even if incomplete or with some unrelated content.
            - 1 more point if it addresses a substantial part of the instruction, without completely doing it.
            - 1 more point if it does the basic elements of the instruction in a useful way.
            - 1 more point if it is a direct, complete and well-organised answer written from an assistant's point \
            of view, with at most small room for improvement.
            - 1 more point if it is an expert, precisely tailored answer with no extraneous text.

            Instruction: {prompt}
            Answer: {response}

            Justify your rating in at most two sentences, then end with the line "Score: <points>".""";

    private final String text;

    private JudgeTemplate(String text) {
        this.text = text;
    }

    public static JudgeTemplate additiveRubric() {
        return new JudgeTemplate(ADDITIVE_RUBRIC);
    }

    /** Characters a template may hold: a rubric, not a document. */
    public static final int MAX_CHARS = 16_384;

    /**
     * @throws InvalidTemplateException if the template is too long or does not hold each placeholder exactly once
     *     (a placeholder repeated many times would multiply the judge's prompt)
     */
    public static JudgeTemplate of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_CHARS) {
            throw new InvalidTemplateException(
                    "the judge template has " + text.length() + " characters; at most " + MAX_CHARS);
        }
        for (String placeholder : new String[] {PROMPT, RESPONSE}) {
            int count = occurrences(text, placeholder);
            if (count != 1) {
                throw new InvalidTemplateException("the judge template must contain the " + placeholder
                        + " placeholder exactly once, where the " + placeholder.replaceAll("[{}]", "")
                        + " goes; it has " + count);
            }
        }
        return new JudgeTemplate(text);
    }

    static int occurrences(String text, String placeholder) {
        int count = 0;
        for (int i = text.indexOf(placeholder); i >= 0; i = text.indexOf(placeholder, i + placeholder.length())) {
            count++;
        }
        return count;
    }

    public String render(String prompt, String response) {
        // one pass, so that braces inside the prompt or the response are never read as placeholders
        StringBuilder out = new StringBuilder(text.length() + prompt.length() + response.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(PROMPT, i)) {
                out.append(prompt);
                i += PROMPT.length();
            } else if (text.startsWith(RESPONSE, i)) {
                out.append(response);
                i += RESPONSE.length();
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    public String text() {
        return text;
    }

    /** A judge template the service cannot use; names the problem. */
    public static final class InvalidTemplateException extends IllegalArgumentException {
        public InvalidTemplateException(String message) {
            super(message);
        }
    }
}
