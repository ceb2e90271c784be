package org.tsr.trainer.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The header of a safetensors file (an 8-byte little-endian length, then a JSON object naming each tensor's
 * dtype, shape and byte range in the data section that follows), checked against the file's size. Only the header
 * is read: checkpoints run to tens of gigabytes, and a file whose header is consistent and whose size matches it
 * is complete, which is what a checkpoint handed over by another process most often fails to be.
 */
record SafetensorsHeader(String file, Map<String, TensorHeader> tensors) {

    /** Larger headers are certainly corrupt; real ones are a few megabytes at most. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    static SafetensorsHeader read(Path folder, String fileName) {
        Path path = folder.resolve(fileName);
        if (!Files.isRegularFile(path)) {
            throw new InvalidCheckpointException(fileName, "missing");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new InvalidCheckpointException(
                        fileName, "truncated: " + size + " bytes, shorter than the 8-byte header length");
            }
            long headerLength =
                    read(channel, 0, 8, fileName).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw new InvalidCheckpointException(
                        fileName, "header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer headerBytes = read(channel, 8, (int) headerLength, fileName);
            String headerText = new String(headerBytes.array(), StandardCharsets.UTF_8);
            return parse(fileName, headerText, size - 8 - headerLength);
        } catch (IOException e) {
            throw new InvalidCheckpointException(fileName, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static SafetensorsHeader parse(String fileName, String headerText, long dataBytes) {
        // the format pads the header with spaces so that the data starts aligned
        JsonNode header = CheckpointJson.parseObject(fileName, headerText.strip());
        Map<String, TensorHeader> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (field.getKey().equals("__metadata__")) {
                continue;
            }
            TensorHeader tensor = entry(fileName, field.getKey(), field.getValue());
            if (tensor.end() > dataBytes) {
                throw new InvalidCheckpointException(
                        fileName,
                        "truncated: tensor " + tensor.name() + " ends at byte " + tensor.end()
                                + " of the data section, which holds only " + dataBytes);
            }
            tensors.put(tensor.name(), tensor);
        }
        requireTiledDataSection(fileName, tensors.values(), dataBytes);
        return new SafetensorsHeader(fileName, Collections.unmodifiableMap(tensors));
    }

    /**
     * The tensors must cover the data section exactly, without overlaps or gaps, as the safetensors library itself
     * insists: overlapping tensors would share bytes, and bytes past the last tensor mean a file of another header.
     */
    private static void requireTiledDataSection(String fileName, Collection<TensorHeader> tensors, long dataBytes) {
        long cursor = 0;
        List<TensorHeader> byOffset = tensors.stream()
                .sorted(Comparator.comparingLong(TensorHeader::begin).thenComparingLong(TensorHeader::end))
                .toList();
        for (TensorHeader tensor : byOffset) {
            if (tensor.begin() != cursor) {
                throw new InvalidCheckpointException(
                        fileName,
                        "tensor " + tensor.name() + " starts at byte " + tensor.begin() + " of the data section, where "
                                + (tensor.begin() < cursor ? "the previous tensor still runs" : "a gap begins")
                                + "; tensors must follow one another");
            }
            cursor = tensor.end();
        }
        if (cursor != dataBytes) {
            throw new InvalidCheckpointException(
                    fileName, "the data section holds " + dataBytes + " bytes but the tensors end at byte " + cursor);
        }
    }

    private static TensorHeader entry(String fileName, String name, JsonNode node) {
        String dtypeName = node.path("dtype").asString("");
        SafetensorsDtype dtype = SafetensorsDtype.parse(dtypeName);
        if (dtype == null) {
            throw new InvalidCheckpointException(fileName, "tensor " + name + " has unknown dtype '" + dtypeName + "'");
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new InvalidCheckpointException(
                    fileName, "tensor " + name + " needs a shape array and two data_offsets");
        }
        List<Long> shape = new ArrayList<>();
        long bytes = dtype.bytes();
        try {
            for (JsonNode dim : shapeNode) {
                long value = nonNegative(fileName, name, "shape", dim);
                shape.add(value);
                bytes = Math.multiplyExact(bytes, value);
            }
        } catch (ArithmeticException e) {
            throw new InvalidCheckpointException(fileName, "tensor " + name + " has an impossible shape " + shapeNode);
        }
        long begin = nonNegative(fileName, name, "data_offsets", offsets.get(0));
        long end = nonNegative(fileName, name, "data_offsets", offsets.get(1));
        if (end - begin != bytes) {
            throw new InvalidCheckpointException(
                    fileName,
                    "tensor " + name + " has data_offsets " + offsets + " spanning " + (end - begin)
                            + " bytes, but shape " + shape + " of " + dtype + " needs " + bytes);
        }
        return new TensorHeader(fileName, name, dtype, shape, begin, end);
    }

    private static long nonNegative(String fileName, String tensor, String field, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new InvalidCheckpointException(
                    fileName, "tensor " + tensor + " has " + field + " with " + value + ", not a non-negative integer");
        }
        return value.asLong();
    }

    private static ByteBuffer read(FileChannel channel, long position, int length, String fileName) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new InvalidCheckpointException(
                        fileName, "truncated: the file ends at byte " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
