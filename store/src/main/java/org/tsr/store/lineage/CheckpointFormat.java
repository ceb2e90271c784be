package org.tsr.store.lineage;

public enum CheckpointFormat {
    /** A Hugging Face folder: config.json, model.safetensors (or shards), tokenizer files. */
    HF_SAFETENSORS,
    /** Served by an OpenAI-compatible inference server; the URI is its base URL and the model name. */
    REMOTE_OPENAI,
    /**
     * The built-in task suite's programmatic oracle ({@code builtin:oracle}): it judges responses to prompts with a
     * reference answer and generates nothing.
     */
    BUILTIN_ORACLE
}
