package org.tsr.engine.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** Every tensor of a checkpoint folder as stored: dtype and raw bytes, whether in one file or in shards. */
record StoredTensors(Map<String, TensorDtype> dtypes, Map<String, ByteBuffer> bytes) {

    static StoredTensors of(Path dir) throws Exception {
        Map<String, TensorDtype> dtypes = new LinkedHashMap<>();
        Map<String, ByteBuffer> bytes = new LinkedHashMap<>();
        TreeSet<Path> files = new TreeSet<>();
        try (var list = Files.list(dir)) {
            list.filter(file -> file.getFileName().toString().endsWith(".safetensors"))
                    .forEach(files::add);
        }
        for (Path file : files) {
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                for (TensorEntry entry : reader.entries().values()) {
                    dtypes.put(entry.name(), entry.dtype());
                    bytes.put(entry.name(), reader.readBytes(entry.name()));
                }
            }
        }
        return new StoredTensors(dtypes, bytes);
    }

    static long shardCount(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                    .count();
        }
    }
}
