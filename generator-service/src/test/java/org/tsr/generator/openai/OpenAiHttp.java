package org.tsr.generator.openai;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw JSON requests to the service's OpenAI-compatible endpoints, and their server-sent events taken apart. */
record OpenAiHttp(int port, String token) {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(request(path, body), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    JsonNode postOk(String path, String body) throws Exception {
        HttpResponse<String> response = post(path, body);
        if (response.statusCode() != 200) {
            throw new AssertionError("HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The data of each event, in order, checking that every event is one {@code data: ...} line and a blank line. */
    static List<String> events(String stream) {
        List<String> data = new ArrayList<>();
        for (String event : stream.split("\n\n", -1)) {
            if (event.isEmpty()) {
                continue;
            }
            if (!event.startsWith("data: ") || event.contains("\n")) {
                throw new AssertionError("not an event of one data line: '" + event + "'");
            }
            data.add(event.substring("data: ".length()));
        }
        if (!stream.endsWith("\n\n")) {
            throw new AssertionError("the stream does not end with a complete event");
        }
        return data;
    }

    /** The JSON chunks of a stream, checking that it ends with {@code [DONE]}. */
    static List<JsonNode> chunks(String stream) {
        List<String> data = events(stream);
        if (data.isEmpty() || !data.get(data.size() - 1).equals("[DONE]")) {
            throw new AssertionError("the stream does not end with [DONE]: " + data);
        }
        return data.subList(0, data.size() - 1).stream().map(JSON::readTree).toList();
    }
}
