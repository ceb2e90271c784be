package org.tsr.trainer.checkpoint;

import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A checkpoint folder that passed {@link CheckpointValidator}.
 *
 * @param tensorCount the tensors in all of the folder's safetensors files, extra ones included
 * @param parameterCount the elements of those tensors
 * @param dtypes the safetensors dtypes the tensors are stored in, such as BF16 or F32
 */
public record ValidatedCheckpoint(
        Kind kind, int tensorCount, long parameterCount, SortedSet<String> dtypes, Path folder) {

    public enum Kind {
        /** a complete Hugging Face model: config, weights and tokenizer */
        FULL,
        /** PEFT LoRA adapters, to be applied to the generation they were trained from */
        ADAPTER
    }

    public ValidatedCheckpoint {
        dtypes = Collections.unmodifiableSortedSet(new TreeSet<>(dtypes));
    }
}
