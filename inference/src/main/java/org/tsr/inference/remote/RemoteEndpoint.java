package org.tsr.inference.remote;

import java.net.URI;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * An OpenAI-compatible server and the model name it serves. A generation's checkpoint URI names both:
 * {@code http://vllm:8000/v1#meta-llama/Llama-3.1-8B-Instruct}, the base URL up to {@code /v1} and the served model
 * name as the fragment.
 */
public record RemoteEndpoint(URI baseUrl, String model) {

    public static RemoteEndpoint parse(String checkpointUri) {
        int hash = checkpointUri.indexOf('#');
        if (hash < 0 || hash == checkpointUri.length() - 1) {
            throw new IllegalArgumentException("remote checkpoint URI " + checkpointUri
                    + " must name the served model after '#', as in http://host:8000/v1#model-name");
        }
        String base = checkpointUri.substring(0, hash);
        URI uri;
        try {
            uri = new URI(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        } catch (java.net.URISyntaxException e) {
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
        return new RemoteEndpoint(uri, checkpointUri.substring(hash + 1));
    }

    /** {@code path} under the base URL ({@code /completions} under {@code http://host:8000/v1}). */
    URI resolve(String path) {
        return UriComponentsBuilder.fromUri(baseUrl).path(path).build().toUri();
    }
}
