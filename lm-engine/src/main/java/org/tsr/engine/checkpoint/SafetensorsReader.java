package org.tsr.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a safetensors file: an 8-byte little-endian header length, a JSON header mapping tensor names to
 * dtype, shape and data offsets, then the raw little-endian data. The header is validated completely on
 * open, so a truncated or inconsistent file fails before any tensor is used.
 */
public final class SafetensorsReader implements AutoCloseable {

    /** Larger headers are certainly corrupt; real ones are a few hundred kilobytes at most. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    /** Stored bytes of a tensor read and widened per step by {@link #readArray}. */
    private static final long CHUNK_BYTES = 64L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorEntry> entries;

    private SafetensorsReader(Path file, FileChannel channel, long dataStart, Map<String, TensorEntry> entries) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
    }

    public static SafetensorsReader open(Path file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot open: " + e.getMessage(), e);
        }
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException(
                        file, "truncated: " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = readFully(channel, 0, 8, file).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw new CheckpointException(
                        file,
                        "bad header: header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength, file);
            String headerText = new String(headerBytes.array(), java.nio.charset.StandardCharsets.UTF_8);
            Map<String, TensorEntry> entries = parseHeader(file, headerText, size - 8 - headerLength);
            return new SafetensorsReader(file, channel, 8 + headerLength, entries);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public Map<String, TensorEntry> entries() {
        return entries;
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Reads a tensor as float32, whatever its stored dtype. */
    public float[] readFloats(String name) {
        TensorEntry entry = entry(name);
        return entry.dtype().decode(readBytes(name), Math.toIntExact(entry.elementCount()));
    }

    /**
     * Reads a tensor into a float32 array of {@code manager}, widened chunk by chunk of rows: the heap holds one
     * chunk at a time, so a tensor of any size loads (past 2 GB too) in a small heap.
     *
     * <p>An array DJL creates from Java data keeps the direct buffer it was copied through for as long as it lives,
     * and direct buffers count against a limit the size of the heap; so the chunks live only in a sub-manager and
     * the returned array is PyTorch's own copy (a clone or a concatenation), which holds no Java buffer.
     */
    public NDArray readArray(String name, NDManager manager) {
        TensorEntry entry = entry(name);
        long[] shape = entry.shape();
        long bytes = entry.end() - entry.begin();
        boolean oneChunk = shape.length < 2 || bytes <= CHUNK_BYTES || shape[0] == 0;
        long rows = oneChunk ? 1 : shape[0];
        long rowBytes = oneChunk ? bytes : bytes / rows;
        long rowsPerChunk = Math.max(1, CHUNK_BYTES / Math.max(1, rowBytes));
        try (NDManager chunks = manager.newSubManager()) {
            NDList parts = new NDList();
            for (long start = 0; start < rows; start += rowsPerChunk) {
                long[] chunkShape = shape.clone();
                long count = Math.min(rowsPerChunk, rows - start);
                if (!oneChunk) {
                    chunkShape[0] = count;
                }
                int chunkBytes = Math.toIntExact(count * rowBytes);
                ByteBuffer raw = readFully(channel, dataStart + entry.begin() + start * rowBytes, chunkBytes, file);
                float[] values =
                        entry.dtype().decode(raw, chunkBytes / entry.dtype().bytes());
                parts.add(chunks.create(values, new Shape(chunkShape)));
            }
            NDArray whole = parts.size() == 1 ? parts.get(0).duplicate() : NDArrays.concat(parts, 0);
            whole.attach(manager);
            return whole;
        }
    }

    /** A tensor's stored bytes, little-endian, in its stored dtype. */
    ByteBuffer readBytes(String name) {
        TensorEntry entry = entry(name);
        int length = Math.toIntExact(entry.end() - entry.begin());
        return readFully(channel, dataStart + entry.begin(), length, file).order(ByteOrder.LITTLE_ENDIAN);
    }

    private TensorEntry entry(String name) {
        TensorEntry entry = entries.get(name);
        if (entry == null) {
            throw new CheckpointException(file, name, "missing");
        }
        return entry;
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static Map<String, TensorEntry> parseHeader(Path file, String headerText, long dataBytes) {
        JsonNode header;
        try {
            header = HfConfigFile.json().readTree(headerText.strip());
        } catch (JacksonException e) {
            throw new CheckpointException(file, "bad header: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointException(file, "bad header: not a JSON object");
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            String name = field.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            entries.put(name, parseEntry(file, name, field.getValue(), dataBytes));
        }
        return Collections.unmodifiableMap(entries);
    }

    private static TensorEntry parseEntry(Path file, String name, JsonNode node, long dataBytes) {
        String dtypeName = node.path("dtype").asString("");
        TensorDtype dtype = TensorDtype.parse(dtypeName);
        if (dtype == null) {
            throw new CheckpointException(
                    file, name, "unsupported dtype '" + dtypeName + "' (F32, BF16, F16 are read)");
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointException(file, name, "bad header: needs 'shape' and two 'data_offsets'");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
            if (shape[i] < 0) {
                throw new CheckpointException(file, name, "bad header: negative dimension in " + shapeNode);
            }
        }
        TensorEntry entry = new TensorEntry(
                name, dtype, shape, offsets.get(0).asLong(), offsets.get(1).asLong());
        long expectedBytes = entry.elementCount() * dtype.bytes();
        if (entry.begin() < 0 || entry.end() - entry.begin() != expectedBytes) {
            throw new CheckpointException(
                    file,
                    name,
                    "bad header: data_offsets " + offsets + " span "
                            + (entry.end() - entry.begin()) + " bytes but shape " + Arrays.toString(shape) + " of "
                            + dtype
                            + " needs " + expectedBytes);
        }
        if (entry.end() > dataBytes) {
            throw new CheckpointException(
                    file,
                    name,
                    "truncated: data ends at byte " + entry.end() + " of the data section but the file holds only "
                            + dataBytes);
        }
        return entry;
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, position + buffer.position());
                if (read < 0) {
                    throw new CheckpointException(
                            file, "truncated: end of file at byte " + (position + buffer.position()));
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        }
        return buffer.flip();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }
}
