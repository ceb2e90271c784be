package org.tsr.inference.remote;

import java.net.URI;
import org.springframework.web.util.UriComponentsBuilder;
import org.tsr.contract.checkpoint.CheckpointUri;

/**
 * An OpenAI-compatible server and the model name it serves. A generation's checkpoint URI names both:
 * {@code http://vllm:8000/v1#meta-llama/Llama-3.1-8B-Instruct}, the base URL up to {@code /v1} and the served model
 * name as the fragment.
 */
public record RemoteEndpoint(URI baseUrl, String model) {

    /** @throws IllegalArgumentException saying what is wrong with the URI ({@link CheckpointUri#remote}) */
    public static RemoteEndpoint parse(String checkpointUri) {
        CheckpointUri.Remote remote = CheckpointUri.remote(checkpointUri);
        return new RemoteEndpoint(remote.baseUrl(), remote.model());
    }

    /** {@code path} under the base URL ({@code /completions} under {@code http://host:8000/v1}). */
    URI resolve(String path) {
        return UriComponentsBuilder.fromUri(baseUrl).path(path).build().toUri();
    }
}
