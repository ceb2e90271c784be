package org.tsr.trainer.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes whole safetensors files for tests that take a real checkpoint apart and put a broken one
 * together. Independent of the validator's own header reading, so the two do not share a mistake.
 */
final class SafetensorsFiles {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** A tensor with its raw little-endian bytes. */
    record Tensor(String dtype, List<Long> shape, byte[] data) {

        static Tensor zeros(String dtype, int elementBytes, long... shape) {
            long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            return new Tensor(
                    dtype, Arrays.stream(shape).boxed().toList(), new byte[Math.toIntExact(count * elementBytes)]);
        }

        Tensor withShape(Long... newShape) {
            return new Tensor(dtype, List.of(newShape), data);
        }
    }

    private SafetensorsFiles() {}

    static Map<String, Tensor> read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(bytes.getLong(0));
        JsonNode header = JSON.readTree(new String(bytes.array(), 8, headerLength, StandardCharsets.UTF_8));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : header.properties()) {
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode node = entry.getValue();
            List<Long> shape = new ArrayList<>();
            node.get("shape").forEach(dim -> shape.add(dim.asLong()));
            int begin = 8 + headerLength + node.get("data_offsets").get(0).asInt();
            int end = 8 + headerLength + node.get("data_offsets").get(1).asInt();
            tensors.put(
                    entry.getKey(),
                    new Tensor(node.get("dtype").asString(), shape, Arrays.copyOfRange(bytes.array(), begin, end)));
        }
        return tensors;
    }

    static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            ObjectNode node = header.putObject(entry.getKey());
            node.put("dtype", entry.getValue().dtype());
            entry.getValue().shape().forEach(node.putArray("shape")::add);
            node.putArray("data_offsets")
                    .add(offset)
                    .add(offset + entry.getValue().data().length);
            offset += entry.getValue().data().length;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out =
                ByteBuffer.allocate(Math.toIntExact(8 + json.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        tensors.values().forEach(tensor -> out.put(tensor.data()));
        Files.write(file, out.array());
    }
}
