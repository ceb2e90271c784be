package org.tsr.inference;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tsr.contract.checkpoint.CheckpointUri;
import org.tsr.engine.EngineOptions;
import org.tsr.inference.embedded.LoadedModels;
import org.tsr.inference.remote.RemoteBackend;
import org.tsr.inference.remote.RemoteEndpoint;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;

/**
 * Finds the backend of a model generation from its checkpoint: a Hugging Face folder runs on the embedded engine, a
 * remote URI on its OpenAI-compatible server.
 */
public class ModelBackends implements AutoCloseable {

    private final ModelGenerationRepository generations;
    private final InferenceProperties properties;
    private final LoadedModels loadedModels;
    private final HttpClient http;
    private final ExecutorService remoteCalls = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "remote-inference");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, RemoteBackend> remoteBackends = new ConcurrentHashMap<>();

    public ModelBackends(ModelGenerationRepository generations, InferenceProperties properties) {
        this.generations = generations;
        this.properties = properties;
        this.loadedModels = new LoadedModels(
                new EngineOptions(properties.device(), properties.intraOpThreads(), properties.precision()),
                properties.maxCachedModelBytes());
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.remote().connectTimeout())
                .build();
    }

    /**
     * @throws UnknownGenerationException if the generation does not exist or has no weights yet
     */
    public TextBackend backendFor(long generationId) {
        ModelGeneration generation = generations
                .findById(generationId)
                .orElseThrow(
                        () -> new UnknownGenerationException("model generation " + generationId + " does not exist"));
        if (generation.getStatus() != GenerationStatus.READY && generation.getStatus() != GenerationStatus.DISCARDED) {
            throw new UnknownGenerationException("model generation " + generationId + " (" + generation.getName()
                    + ") is " + generation.getStatus() + ": it has no weights to generate with yet");
        }
        String uri = generation.getCheckpointUri();
        return switch (generation.getCheckpointFormat()) {
            case HF_SAFETENSORS -> loadedModels.get(generationId, generation.getName(), localFolder(generationId, uri));
            case REMOTE_OPENAI ->
                remoteBackends.computeIfAbsent(
                        uri,
                        key -> new RemoteBackend(RemoteEndpoint.parse(key), http, properties.remote(), remoteCalls));
            case BUILTIN_ORACLE ->
                throw new UnknownGenerationException("model generation " + generationId
                        + " is the built-in oracle: it grades responses to prompts with a reference answer and"
                        + " generates no text");
        };
    }

    private static Path localFolder(long generationId, String uri) {
        Path folder = CheckpointUri.folder(uri);
        if (!Files.isDirectory(folder)) {
            throw new UnknownGenerationException("model generation " + generationId + " has its checkpoint at " + folder
                    + ", which is not a folder");
        }
        return folder;
    }

    /** Bytes of weights the embedded models loaded in this process hold in native memory. */
    public long loadedWeightBytes() {
        return loadedModels.loadedBytes();
    }

    @Override
    public void close() {
        loadedModels.close();
        remoteCalls.shutdownNow();
    }
}
