package org.tsr.tasks;

import java.util.Optional;
import java.util.Random;

/**
 * A kind of instruction with a programmatic oracle. Every family answers with one token (no spaces), so anything after
 * the first token of a response is extraneous text, which the oracle penalises: two points off a right answer, one off
 * a partly right one.
 */
public interface TaskFamily {

    /** The family's name, stored with each prompt as its task family. */
    String name();

    /** A fresh task drawn from the random source. */
    Task sample(Random random);

    /** How close an answer token is to the reference, 1 to 5, with the reason; 5 only for the reference itself. */
    Grade closeness(String prompt, String reference, String answer);

    /**
     * A plausible wrong answer of the kind a weak model gives (a near miss, a far miss, the input echoed), for judge
     * training examples of mixed quality.
     */
    String mistake(Task task, Random random);

    /**
     * Why the family's oracle cannot grade against this reference answer, or empty when it can. Every family needs one
     * token; number families need a whole number.
     */
    default Optional<String> referenceProblem(String reference) {
        if (reference == null || reference.isBlank()) {
            return Optional.of("is blank; the " + name() + " oracle grades against a reference answer");
        }
        if (!reference.matches("\\S+")) {
            return Optional.of(
                    "'" + reference + "' is not one token without spaces; " + name() + " answers are one token");
        }
        return Optional.empty();
    }

    /** Grades a whole response: its first token by closeness, minus the penalty for anything after it. */
    default Grade grade(String prompt, String reference, String response) {
        String text = response.strip();
        if (text.isEmpty()) {
            return new Grade(Grade.MIN, "no answer");
        }
        String[] parts = text.split("\\s+", 2);
        Grade answer = closeness(prompt, reference, parts[0]);
        if (parts.length == 1) {
            return answer;
        }
        if (answer.score() == Grade.MAX) {
            return new Grade(Grade.MAX - 2, "right, extra text");
        }
        return new Grade(Math.max(Grade.MIN, answer.score() - 1), answer.reason() + ", extra text");
    }
}
