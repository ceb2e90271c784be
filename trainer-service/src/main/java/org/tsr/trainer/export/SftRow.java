package org.tsr.trainer.export;

/** A prompt and the answer to learn. */
public record SftRow(String prompt, String response) {}
