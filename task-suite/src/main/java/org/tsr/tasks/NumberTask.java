package org.tsr.tasks;

/**
 * A task answered with a whole number: full marks for the number, partial credit by how far off it is, the least for
 * an answer that is not a number at all.
 */
abstract class NumberTask implements TaskFamily {

    /** The score for an answer {@code distance} away from the reference, with its reason; distance is at least 1. */
    abstract Grade near(int distance);

    @Override
    public java.util.Optional<String> referenceProblem(String reference) {
        java.util.Optional<String> problem = TaskFamily.super.referenceProblem(reference);
        if (problem.isPresent() || reference.matches("-?\\d{1,6}")) {
            return problem;
        }
        return java.util.Optional.of("'" + reference + "' is not a whole number; " + name() + " answers are numbers");
    }

    @Override
    public Grade closeness(String prompt, String reference, String answer) {
        if (answer.equals(reference)) {
            return new Grade(5, "right");
        }
        if (!answer.matches("-?\\d{1,6}")) {
            return new Grade(1, "not a number");
        }
        return near(Math.abs(Integer.parseInt(answer) - Integer.parseInt(reference)));
    }
}
