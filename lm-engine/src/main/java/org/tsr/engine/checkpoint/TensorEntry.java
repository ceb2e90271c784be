package org.tsr.engine.checkpoint;

/**
 * One tensor's header entry in a safetensors file.
 *
 * @param begin offset of the first byte, relative to the end of the header
 * @param end offset one past the last byte, relative to the end of the header
 */
record TensorEntry(String name, TensorDtype dtype, long[] shape, long begin, long end) {

    long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }
}
