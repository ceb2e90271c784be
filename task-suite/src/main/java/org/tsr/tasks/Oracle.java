package org.tsr.tasks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The programmatic judge of the built-in suite, the stand-in for the strong external judge of the papers'
 * evaluations. Prompts of a built-in family are graded by that family; prompts of any other family that carry a
 * reference answer are graded by whether the response is exactly that reference (5), starts with it (3) or neither
 * (1), so uploaded prompt sets with references can be evaluated too.
 */
public final class Oracle {

    private static final Map<String, TaskFamily> BUILT_IN = new LinkedHashMap<>();

    static {
        for (TaskFamily family : List.of(new SortLetters(), new ReverseWord(), new AddNumbers(), new CountLetter())) {
            BUILT_IN.put(family.name(), family);
        }
    }

    private Oracle() {}

    /** The names of the built-in families, in a fixed order. */
    public static List<String> familyNames() {
        return List.copyOf(BUILT_IN.keySet());
    }

    /** A built-in family by name. */
    public static Optional<TaskFamily> family(String name) {
        return Optional.ofNullable(name == null ? null : BUILT_IN.get(name));
    }

    /** Whether a prompt can be graded: it has a reference answer. */
    public static boolean canGrade(String reference) {
        return reference != null && !reference.isBlank();
    }

    /**
     * Grades a response to a prompt.
     *
     * @throws IllegalArgumentException if the prompt has no reference answer
     */
    public static Grade grade(String family, String prompt, String reference, String response) {
        if (!canGrade(reference)) {
            throw new IllegalArgumentException("prompt '" + prompt + "' has no reference answer to grade against");
        }
        TaskFamily builtIn = BUILT_IN.get(family);
        if (builtIn != null) {
            return builtIn.grade(prompt, reference, response);
        }
        String text = response.strip();
        if (text.equals(reference.strip())) {
            return new Grade(5, "right");
        }
        return text.startsWith(reference.strip()) ? new Grade(3, "right, extra text") : new Grade(1, "wrong");
    }

    /** Whether a response is the reference exactly (surrounding white space aside). */
    public static boolean exactMatch(String reference, String response) {
        return reference != null && response.strip().equals(reference.strip());
    }
}
