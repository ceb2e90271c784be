package org.tsr.tasks;

/**
 * How the built-in suite asks a model to judge: a template short enough for a tiny model's context, with the
 * {@code {prompt}} and {@code {response}} placeholders of the judge-service's templates. The EFT examples use it, so a
 * run over the suite must judge with it too.
 */
public final class JudgeFormat {

    public static final String TEMPLATE = "rate {prompt} -> {response}";

    private JudgeFormat() {}

    /** The judge prompt for one response. */
    public static String render(String prompt, String response) {
        return TEMPLATE.replace("{prompt}", prompt).replace("{response}", response);
    }
}
