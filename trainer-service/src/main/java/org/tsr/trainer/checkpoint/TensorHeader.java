package org.tsr.trainer.checkpoint;

import java.util.List;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param file the name of the safetensors file, for messages
 * @param begin offset of the first byte, counted from the start of the data section
 * @param end offset one past the last byte
 */
record TensorHeader(String file, String name, SafetensorsDtype dtype, List<Long> shape, long begin, long end) {

    TensorHeader {
        shape = List.copyOf(shape);
    }

    /** The product of the dimensions; {@link SafetensorsHeader} has already checked that it does not overflow. */
    long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }
}
