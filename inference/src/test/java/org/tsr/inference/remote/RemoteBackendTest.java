package org.tsr.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.sampling.DecodedToken;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.InferenceProperties;
import org.tsr.inference.UnsupportedSamplingException;

/** Drives the remote backend against a local HTTP server standing in for an OpenAI-compatible one. */
class RemoteBackendTest {

    static final String TWO_CHOICES = """
            {"choices": [
               {"index": 1, "text": "second", "finish_reason": "length"},
               {"index": 0, "text": "first", "finish_reason": "stop"}],
             "usage": {"prompt_tokens": 5, "completion_tokens": 8}}
            """;

    final SamplingSettings sampling = SamplingSettings.of(2, 0.7, 16, 7).withTopP(0.9);
    final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    RemoteBackend backendAnswering(Function<Integer, Answer> answers) throws IOException {
        AtomicInteger calls = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/v1/", exchange -> {
            requests.add(exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Answer answer = answers.apply(calls.incrementAndGet());
            if (answer.delay() != null) {
                sleep(answer.delay());
            }
            respond(exchange, answer.status(), answer.body());
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return backendAt(
                "http://localhost:" + server.getAddress().getPort() + "/v1#served-model", Duration.ofSeconds(5));
    }

    static RemoteBackend backendAt(String uri, Duration timeout) {
        return backendAt(uri, timeout, List.of("localhost"));
    }

    static RemoteBackend backendAt(String uri, Duration timeout, List<String> allowedHosts) {
        InferenceProperties.Remote settings = new InferenceProperties.Remote(
                Duration.ofSeconds(1), timeout, 4, 2, Duration.ofMillis(10), "secret-key", allowedHosts);
        return new RemoteBackend(
                RemoteEndpoint.parse(uri), HttpClient.newHttpClient(), settings, Executors.newCachedThreadPool());
    }

    record Answer(int status, String body, Duration delay) {
        static Answer ok(String body) {
            return new Answer(200, body, null);
        }
    }

    @Test
    void aFeedHearsOfEachSampleOnceAndWholeSinceTheServerAnswersWhole() throws IOException {
        RemoteBackend backend = backendAnswering(call -> Answer.ok(TWO_CHOICES));
        List<DecodedToken> heard = new ArrayList<>();

        backend.complete(List.of("Sort: cba"), sampling, TokenFeed.text(heard::add));

        assertThat(heard)
                .extracting(DecodedToken::sampleIndex, DecodedToken::text, DecodedToken::finishReason)
                .containsExactly(tuple(0, "first", FinishReason.STOP), tuple(1, "second", FinishReason.LENGTH));
        assertThat(heard).allMatch(token -> token.sampled() == null);
    }

    @Test
    void logprobsAreRefusedBeforeTheServerIsCalled() throws IOException {
        RemoteBackend backend = backendAnswering(call -> Answer.ok(TWO_CHOICES));

        assertThatThrownBy(() -> backend.chat(
                        List.of(List.of(ChatMessage.user("hi"))), sampling, TokenFeed.withLogprobs(token -> {}, 2)))
                .isInstanceOf(UnsupportedSamplingException.class)
                .hasMessageContaining("embedded engine only")
                .extracting(e -> ((UnsupportedSamplingException) e).setting())
                .isEqualTo("logprobs");
        assertThat(requests).isEmpty();
    }

    @Test
    void sendsTheSamplingSettingsAndReadsChoicesInOrder() throws IOException {
        RemoteBackend backend = backendAnswering(call -> Answer.ok(TWO_CHOICES));

        List<List<GeneratedText>> result = backend.complete(List.of("Sort: cba"), sampling.withStop(List.of("\n")));

        assertThat(result).singleElement().satisfies(samples -> {
            assertThat(samples).extracting(GeneratedText::text).containsExactly("first", "second");
            assertThat(samples)
                    .extracting(GeneratedText::finishReason)
                    .containsExactly(FinishReason.STOP, FinishReason.LENGTH);
            assertThat(samples.get(0).promptTokens()).isEqualTo(5);
            assertThat(samples.get(1).completionTokens()).isEqualTo(4);
        });
        assertThat(requests)
                .singleElement()
                .satisfies(request -> assertThat(request)
                        .startsWith("/v1/completions ")
                        .contains(
                                "\"model\":\"served-model\"",
                                "\"prompt\":\"Sort: cba\"",
                                "\"n\":2",
                                "\"temperature\":0.7",
                                "\"top_p\":0.9",
                                "\"max_tokens\":16",
                                "\"seed\":7",
                                "\"stop\":[\"\\n\"]"));
    }

    @Test
    void chatSendsTheMessages() throws IOException {
        RemoteBackend backend = backendAnswering(call -> Answer.ok(
                "{\"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"Score: 4\"},"
                        + " \"finish_reason\": \"stop\"}]}"));

        List<List<GeneratedText>> result = backend.chat(
                List.of(List.of(ChatMessage.system("Judge."), ChatMessage.user("Rate this."))),
                SamplingSettings.of(1, 0, 8, 1));

        assertThat(result.get(0).get(0).text()).isEqualTo("Score: 4");
        assertThat(requests.peek())
                .startsWith("/v1/chat/completions ")
                .contains("{\"role\":\"system\",\"content\":\"Judge.\"}");
    }

    @Test
    void retriesTooManyRequestsAndServerErrors() throws IOException {
        RemoteBackend backend = backendAnswering(call -> switch (call) {
            case 1 -> new Answer(429, "{\"error\": \"slow down\"}", null);
            case 2 -> new Answer(503, "warming up", null);
            default -> Answer.ok(TWO_CHOICES);
        });

        assertThat(backend.complete(List.of("p"), sampling).get(0)).hasSize(2);
        assertThat(requests).hasSize(3);
    }

    @Test
    void givesUpAfterItsRetriesWithTheLastAnswer() throws IOException {
        RemoteBackend backend = backendAnswering(call -> new Answer(500, "CUDA error: out of memory", null));

        assertThatThrownBy(() -> backend.complete(List.of("p"), sampling))
                .isInstanceOf(RemoteServerException.class)
                .hasMessageContaining("answered HTTP 500: CUDA error: out of memory")
                .hasMessageContaining("gave up after 3 attempts");
    }

    @Test
    void clientErrorsAreNotRetried() throws IOException {
        RemoteBackend backend = backendAnswering(call -> new Answer(400, "{\"error\": \"unknown model\"}", null));

        assertThatThrownBy(() -> backend.complete(List.of("p"), sampling))
                .hasMessageContaining("answered HTTP 400: {\"error\": \"unknown model\"}");
        assertThat(requests).hasSize(1);
    }

    @Test
    void malformedAnswersFailClearly() throws IOException {
        RemoteBackend notJson = backendAnswering(call -> Answer.ok("<html>proxy error</html>"));
        assertThatThrownBy(() -> notJson.complete(List.of("p"), sampling))
                .hasMessageContaining("answered with malformed JSON: <html>proxy error</html>");
        stop();

        RemoteBackend noChoices = backendAnswering(call -> Answer.ok("{\"object\": \"text_completion\"}"));
        assertThatThrownBy(() -> noChoices.complete(List.of("p"), sampling)).hasMessageContaining("without choices");
    }

    @Test
    void slowServerTimesOut() throws IOException {
        backendAnswering(call -> new Answer(200, TWO_CHOICES, Duration.ofSeconds(3)));
        RemoteBackend impatient = backendAt(
                "http://localhost:" + server.getAddress().getPort() + "/v1#served-model", Duration.ofMillis(200));

        assertThatThrownBy(() -> impatient.complete(List.of("p"), sampling))
                .hasMessageContaining("no answer from http://localhost:")
                .hasMessageContaining("gave up after 3 attempts");
    }

    @Test
    void unreachableServerFailsClearly() {
        RemoteBackend nowhere = backendAt("http://localhost:1/v1#m", Duration.ofSeconds(1));

        assertThatThrownBy(() -> nowhere.complete(List.of("p"), sampling))
                .isInstanceOf(RemoteServerException.class)
                .hasMessageStartingWith("cannot reach http://localhost:1/v1/completions");
    }

    @Test
    void aHostOffTheAllowListIsNeverCalledAndNeverGetsTheKey() throws IOException {
        backendAnswering(call -> Answer.ok(TWO_CHOICES));
        int port = server.getAddress().getPort();
        RemoteBackend offList = backendAt(
                "http://127.0.0.1:" + port + "/v1#served-model",
                Duration.ofSeconds(5),
                List.of("vllm", "*.example.org"));

        assertThatThrownBy(() -> offList.complete(List.of("p"), sampling))
                .isInstanceOf(RemoteServerException.class)
                .hasMessageContaining("host '127.0.0.1' is not an allowed inference server")
                .hasMessageContaining("allowed now: vllm, *.example.org");
        assertThat(requests).as("nothing reached the server").isEmpty();
    }

    @Test
    void checkpointUriMustNameAHostWithoutCredentials() {
        assertThatThrownBy(() -> RemoteEndpoint.parse("http://user:pw@vllm:8000/v1#m"))
                .hasMessageContaining("without user information");
        assertThatThrownBy(() -> RemoteEndpoint.parse("http://vllm:8000/v1?x=1#m"))
                .hasMessageContaining("without user information or a query");
        assertThat(RemoteEndpoint.parse("http://vllm:8000/v1#m").resolve("/completions"))
                .hasToString("http://vllm:8000/v1/completions");
    }

    @Test
    void checkpointUriMustNameTheServedModel() {
        assertThatThrownBy(() -> RemoteEndpoint.parse("http://vllm:8000/v1"))
                .hasMessageContaining("must name the served model after '#'");
        assertThat(RemoteEndpoint.parse("http://vllm:8000/v1/#org/model").model())
                .isEqualTo("org/model");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up waiting; nothing to do
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
