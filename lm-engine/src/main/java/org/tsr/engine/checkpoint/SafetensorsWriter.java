package org.tsr.engine.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Writes float32 tensors as a safetensors file, in the given order. */
public final class SafetensorsWriter {

    /** A tensor to write; {@code data} is row-major. */
    public record Tensor(String name, long[] shape, float[] data) {}

    private SafetensorsWriter() {}

    public static void write(Path file, List<Tensor> tensors) {
        ObjectNode header = HfConfigFile.json().createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Tensor tensor : tensors) {
            ObjectNode entry = header.putObject(tensor.name());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            long end = offset + 4L * tensor.data().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = HfConfigFile.json().writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        // the format pads the header with spaces so the data starts 8-byte aligned
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(prefix.array());
            for (Tensor tensor : tensors) {
                ByteBuffer data = ByteBuffer.allocate(4 * tensor.data().length).order(ByteOrder.LITTLE_ENDIAN);
                data.asFloatBuffer().put(tensor.data());
                out.write(data.array());
            }
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot write: " + e.getMessage(), e);
        }
    }
}
