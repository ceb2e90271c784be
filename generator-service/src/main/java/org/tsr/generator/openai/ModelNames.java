package org.tsr.generator.openai;

/** Model generations appear to OpenAI clients as "generation-{id}". */
final class ModelNames {

    static final String PREFIX = "generation-";

    private ModelNames() {}

    static String of(long generationId) {
        return PREFIX + generationId;
    }
}
