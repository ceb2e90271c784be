package org.tsr.standalone.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The commands' side of the gateway's REST API: JSON in, JSON out, problem details turned into one line. */
public final class GatewayClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    GatewayClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
    }

    public JsonNode post(String path, Object body) {
        return post(path, JSON.writeValueAsString(body), "application/json");
    }

    /** Registers a Hugging Face folder on this machine as a READY BASE generation; returns its id. */
    public long registerBaseModel(String name, Path folder) {
        return post(
                        "/api/v1/generations",
                        Map.of(
                                "name",
                                name,
                                "kind",
                                "BASE",
                                "checkpointUri",
                                folder.toString(),
                                "checkpointFormat",
                                "HF_SAFETENSORS"))
                .get("id")
                .asLong();
    }

    public JsonNode post(String path, String body, String contentType) {
        return send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)),
                path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the gateway did not answer " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + path, e);
        }
        if (response.statusCode() / 100 != 2) {
            String detail = response.body();
            try {
                JsonNode problem = JSON.readTree(response.body());
                if (problem.has("detail")) {
                    detail = problem.get("detail").asString();
                }
            } catch (RuntimeException notJson) {
                // keep the raw body
            }
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + detail);
        }
        return JSON.readTree(response.body());
    }
}
