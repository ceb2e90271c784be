package org.tsr.judge.pairwise;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tsr.judge.rubric.JudgeTemplate;

/**
 * The pairwise judge prompt: a text with {@code {prompt}}, {@code {first}} and {@code {second}} placeholders; the judge
 * ends with "Better: 1" or "Better: 2". {@link #preferred} reads that choice.
 */
public final class PairwiseTemplate {

    static final String PROMPT = "{prompt}";
    static final String FIRST = "{first}";
    static final String SECOND = "{second}";

    private static final Pattern CHOICE =
            Pattern.compile("better\\s*\\**\\s*[:=]\\s*\\**\\s*([12])", Pattern.CASE_INSENSITIVE);

    private static final String DEFAULT = """
            Two answers to the same instruction follow. Decide which one follows the instruction better: correct, \
            complete, and with no extraneous text.

            Instruction: {prompt}
            Answer 1: {first}
            Answer 2: {second}

            Explain in one sentence, then end with the line "Better: 1" or "Better: 2".""";

    private final String text;

    private PairwiseTemplate(String text) {
        this.text = text;
    }

    public static PairwiseTemplate standard() {
        return new PairwiseTemplate(DEFAULT);
    }

    public static PairwiseTemplate of(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.contains(FIRST) || !text.contains(SECOND)) {
            throw new JudgeTemplate.InvalidTemplateException(
                    "a pairwise template must contain both " + FIRST + " and " + SECOND + " placeholders");
        }
        return new PairwiseTemplate(text);
    }

    public String render(String prompt, String first, String second) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(PROMPT, i)) {
                out.append(prompt);
                i += PROMPT.length();
            } else if (text.startsWith(FIRST, i)) {
                out.append(first);
                i += FIRST.length();
            } else if (text.startsWith(SECOND, i)) {
                out.append(second);
                i += SECOND.length();
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    /** 1 or 2 from the judge's last "Better: n", or 0 when it named neither. */
    public static int preferred(String judgment) {
        Matcher matcher = CHOICE.matcher(judgment == null ? "" : judgment);
        int choice = 0;
        while (matcher.find()) {
            choice = Integer.parseInt(matcher.group(1));
        }
        return choice;
    }
}
