package org.tsr.contract.checkpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where a model generation's checkpoint URI points: the one reading of the URIs the store keeps, shared by the gateway
 * (which checks them when a generation is registered), the inference layer and the trainer.
 *
 * <ul>
 *   <li>a Hugging Face folder: a {@code file:} URI or a plain path;
 *   <li>a model on an OpenAI-compatible server: {@code http://vllm:8000/v1#meta-llama/Llama-3.1-8B-Instruct}, the
 *       base URL up to {@code /v1} and the served model's name as the fragment.
 * </ul>
 */
public final class CheckpointUri {

    private CheckpointUri() {}

    /** A model served by an OpenAI-compatible server at {@code baseUrl} (no trailing slash) under {@code model}. */
    public record Remote(URI baseUrl, String model) {}

    /** The folder of a local checkpoint. */
    public static Path folder(String checkpointUri) {
        return checkpointUri.startsWith("file:") ? Path.of(URI.create(checkpointUri)) : Path.of(checkpointUri);
    }

    /**
     * The server and model of a remote checkpoint.
     *
     * @throws IllegalArgumentException saying what is wrong: not http(s), no host, user information or a query, no
     *     model named after '#'
     */
    public static Remote remote(String checkpointUri) {
        int hash = checkpointUri.indexOf('#');
        if (hash < 0 || hash == checkpointUri.length() - 1) {
            throw new IllegalArgumentException("remote checkpoint URI " + checkpointUri
                    + " must name the served model after '#', as in http://host:8000/v1#model-name");
        }
        String base = checkpointUri.substring(0, hash);
        URI uri;
        try {
            uri = new URI(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "remote checkpoint URI " + checkpointUri + " is not a URI: " + e.getReason());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("remote checkpoint URI " + checkpointUri + " must be http or https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("remote checkpoint URI " + checkpointUri
                    + " must name a host, without user information or a query");
        }
        return new Remote(uri, checkpointUri.substring(hash + 1));
    }
}
