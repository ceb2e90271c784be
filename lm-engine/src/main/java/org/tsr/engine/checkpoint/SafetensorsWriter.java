package org.tsr.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a safetensors file as a stream: the header first, computed from names, shapes and dtypes alone, then
 * each tensor's bytes in order. Offsets are longs throughout, and a tensor in native memory goes to the file
 * from that memory in bounded chunks (narrowed to bfloat16 or float16 on the way where asked), so no tensor is
 * ever copied whole onto the Java heap.
 */
public final class SafetensorsWriter {

    /** Bytes handed to the file per write; a direct buffer's capacity is an int, so big tensors go in pieces. */
    private static final long CHUNK_BYTES = 64L * 1024 * 1024;

    /** Elements narrowed to 16 bits per heap buffer: 8 MB of output at a time. */
    private static final int NARROW_BATCH = 4 * 1024 * 1024;

    /** One tensor of a file: what the header says about it, and how its bytes are produced. */
    public sealed interface Entry permits Tensor, NativeTensor {
        String name();

        long[] shape();

        TensorDtype dtype();

        default long byteSize() {
            long count = 1;
            for (long dim : shape()) {
                count = Math.multiplyExact(count, dim);
            }
            return Math.multiplyExact(count, (long) dtype().bytes());
        }
    }

    /** A float32 tensor held on the heap (optimizer moments, adapters, small fixtures); {@code data} is row-major. */
    public record Tensor(String name, long[] shape, float[] data) implements Entry {
        @Override
        public TensorDtype dtype() {
            return TensorDtype.F32;
        }
    }

    /**
     * A tensor in native memory, written in {@code dtype}. {@code values} is called once, when the tensor's turn
     * comes, inside a scope that closes everything created for it (a dtype conversion, a merged LoRA weight).
     */
    public record NativeTensor(String name, long[] shape, TensorDtype dtype, Supplier<NDArray> values)
            implements Entry {}

    private SafetensorsWriter() {}

    public static void write(Path file, List<? extends Entry> tensors) {
        try (FileChannel out = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(out, header(tensors));
            for (Entry tensor : tensors) {
                long start = out.position();
                if (tensor instanceof Tensor heap) {
                    writeFloats(out, heap.data());
                } else {
                    writeNative(out, (NativeTensor) tensor);
                }
                long written = out.position() - start;
                if (written != tensor.byteSize()) {
                    throw new CheckpointException(
                            file,
                            tensor.name(),
                            "wrote " + written + " bytes, the header promised " + tensor.byteSize());
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot write: " + e.getMessage(), e);
        }
    }

    /** The 8-byte length, the JSON header and its padding, as the data section's offsets will be. */
    static ByteBuffer header(List<? extends Entry> tensors) {
        ObjectNode header = HfConfigFile.json().createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Entry tensor : tensors) {
            ObjectNode entry = header.putObject(tensor.name());
            entry.put("dtype", tensor.dtype().name());
            var shape = entry.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            long end = offset + tensor.byteSize();
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
        return prefix.flip();
    }

    private static void writeFloats(FileChannel out, float[] data) throws IOException {
        int perChunk = (int) (CHUNK_BYTES / 4);
        ByteBuffer chunk =
                ByteBuffer.allocate(4 * Math.min(perChunk, data.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < data.length; start += perChunk) {
            int count = Math.min(perChunk, data.length - start);
            chunk.clear();
            chunk.asFloatBuffer().put(data, start, count);
            chunk.limit(4 * count);
            writeFully(out, chunk);
        }
    }

    /**
     * Streams a native tensor as float32 views of at most {@link #CHUNK_BYTES}, each written directly or narrowed
     * chunk by chunk into a small heap buffer. The narrowing happens here, not through NDArray.toType: DJL 0.36's
     * PyTorch engine aborts the JVM converting to bfloat16.
     */
    private static void writeNative(FileChannel out, NativeTensor tensor) throws IOException {
        try (NDScope scope = new NDScope()) {
            NDArray values = tensor.values().get().toType(DataType.FLOAT32, false);
            long floatBytes = values.size() * 4;
            if (values.getShape().dimension() < 2 || floatBytes <= CHUNK_BYTES) {
                writeChunk(out, values.toByteBuffer(true), tensor.dtype());
                return;
            }
            long rows = values.getShape().get(0);
            long rowsPerChunk = Math.max(1, CHUNK_BYTES / (floatBytes / rows));
            for (long start = 0; start < rows; start += rowsPerChunk) {
                long end = Math.min(rows, start + rowsPerChunk);
                // a row range: at most one chunk of extra native memory (none for a view), freed by the inner scope
                try (NDScope chunkScope = new NDScope()) {
                    writeChunk(out, values.get(new NDIndex("{}:{}", start, end)).toByteBuffer(true), tensor.dtype());
                }
            }
        }
    }

    /** Writes float32 values (native byte order: little-endian on x86-64 and arm64, as the format wants) in {@code dtype}. */
    private static void writeChunk(FileChannel out, ByteBuffer floats, TensorDtype dtype) throws IOException {
        if (dtype == TensorDtype.F32) {
            writeFully(out, floats);
            return;
        }
        FloatBuffer in = floats.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ByteBuffer narrowed = ByteBuffer.allocate(Math.min(in.remaining(), NARROW_BATCH) * dtype.bytes())
                .order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            narrowed.clear();
            while (in.hasRemaining() && narrowed.hasRemaining()) {
                narrowed.putShort(dtype.narrow(in.get()));
            }
            writeFully(out, narrowed.flip());
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
