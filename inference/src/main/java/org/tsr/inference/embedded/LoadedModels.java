package org.tsr.inference.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;

/**
 * Model generations loaded into this JVM, each loaded once. When their weights together pass the budget, the least
 * recently used ones are closed; a model is never evicted to make room for itself.
 */
public final class LoadedModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LoadedModels.class);

    private final EngineOptions options;
    private final long maxBytes;
    private final Map<Long, Loaded> byGeneration = new LinkedHashMap<>(16, 0.75f, true);
    /** Read without the lock, so a metrics scrape never waits for a model to load. */
    private volatile long loadedBytes;

    public LoadedModels(EngineOptions options, long maxBytes) {
        this.options = options;
        this.maxBytes = maxBytes;
    }

    /** The backend of a generation whose Hugging Face checkpoint is in {@code dir}, loading it on first use. */
    public synchronized EmbeddedBackend get(long generationId, String name, Path dir) {
        Loaded loaded = byGeneration.get(generationId);
        if (loaded != null) {
            return loaded.backend();
        }
        evictFor(estimatedWeightBytes(dir));
        long start = System.nanoTime();
        LanguageModel model = LanguageModel.load(dir, options);
        EmbeddedBackend backend = new EmbeddedBackend(name, model);
        long bytes = model.weightBytes();
        log.info(
                "Loaded model generation {} ({}) from {} in {} ms: {} MB of weights ({})",
                generationId,
                name,
                dir,
                (System.nanoTime() - start) / 1_000_000,
                bytes / 1_000_000,
                options.precision() == EngineOptions.Precision.BFLOAT16
                        ? "float32 with bfloat16 copies of the projections and the head"
                        : "float32");
        // what it really takes (a bfloat16 checkpoint doubles in float32): the others make room for that
        evictFor(bytes);
        byGeneration.put(generationId, new Loaded(backend, bytes));
        loadedBytes += bytes;
        return backend;
    }

    /** Bytes of weights the loaded models hold. */
    public long loadedBytes() {
        return loadedBytes;
    }

    public synchronized int size() {
        return byGeneration.size();
    }

    private void evictFor(long bytes) {
        Iterator<Map.Entry<Long, Loaded>> eldestFirst = byGeneration.entrySet().iterator();
        while (loadedBytes + bytes > maxBytes && eldestFirst.hasNext()) {
            Map.Entry<Long, Loaded> eldest = eldestFirst.next();
            eldestFirst.remove();
            loadedBytes -= eldest.getValue().bytes();
            eldest.getValue().backend().close();
            log.info("Unloaded model generation {} to stay within {} bytes of weights", eldest.getKey(), maxBytes);
        }
    }

    /** The size of the checkpoint's weight files: a first guess of the memory the loaded weights take. */
    private static long estimatedWeightBytes(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".safetensors"))
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoint folder " + dir, e);
        }
    }

    @Override
    public synchronized void close() {
        byGeneration.values().forEach(loaded -> loaded.backend().close());
        byGeneration.clear();
        loadedBytes = 0;
    }

    private record Loaded(EmbeddedBackend backend, long bytes) {}
}
