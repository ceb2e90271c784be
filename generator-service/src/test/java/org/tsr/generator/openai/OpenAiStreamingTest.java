package org.tsr.generator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.InferenceProperties;
import org.tsr.inference.ModelBackends;
import org.tsr.inference.TextBackend;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.JsonNode;

/**
 * Streaming is real: the engine's decoding is held right after the first token that has text, and the test reads
 * that token's chunk while it is held, so the chunk left the server before the later tokens were computed. A reader
 * who goes away stops the decoding.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tsr.generator.worker-threads=0")
class OpenAiStreamingTest {

    static final int MAX_TOKENS = 60;

    /** Holds the decoding thread after the first token with text until the test lets it go on. */
    static final class Hold {
        static volatile CountDownLatch release = new CountDownLatch(0);
        static volatile CountDownLatch held = new CountDownLatch(1);
        static final AtomicInteger decoded = new AtomicInteger();
        static volatile CompletableFuture<String> outcome = new CompletableFuture<>();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class HeldDecoding {

        @Bean
        @Primary
        ModelBackends heldBackends(ModelGenerationRepository generations, InferenceProperties properties) {
            return new ModelBackends(generations, properties) {
                @Override
                public TextBackend backendFor(long generationId) {
                    return new HeldBackend(super.backendFor(generationId));
                }
            };
        }
    }

    /** The real backend, its feed's listener wrapped so that it counts tokens and holds after the first text. */
    record HeldBackend(TextBackend real) implements TextBackend {

        @Override
        public List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings settings) {
            return real.complete(prompts, settings);
        }

        @Override
        public List<List<GeneratedText>> chat(List<List<ChatMessage>> conversations, SamplingSettings settings) {
            return real.chat(conversations, settings);
        }

        @Override
        public List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings settings, TokenFeed feed) {
            return recorded(() -> real.complete(prompts, settings, held(feed)));
        }

        @Override
        public List<List<GeneratedText>> chat(
                List<List<ChatMessage>> conversations, SamplingSettings settings, TokenFeed feed) {
            return recorded(() -> real.chat(conversations, settings, held(feed)));
        }

        @Override
        public String kind() {
            return real.kind();
        }

        private static List<List<GeneratedText>> recorded(java.util.function.Supplier<List<List<GeneratedText>>> call) {
            try {
                List<List<GeneratedText>> samples = call.get();
                Hold.outcome.complete("finished");
                return samples;
            } catch (RuntimeException e) {
                Hold.outcome.complete("stopped by " + e.getClass().getSimpleName());
                throw e;
            }
        }

        private static TokenFeed held(TokenFeed feed) {
            return new TokenFeed(
                    token -> {
                        Hold.decoded.incrementAndGet();
                        feed.listener().onToken(token);
                        if (!token.text().isEmpty() && Hold.held.getCount() > 0) {
                            Hold.held.countDown();
                            await(Hold.release);
                        }
                    },
                    feed.logprobs(),
                    feed.topLogprobs());
        }
    }

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    String body;

    @BeforeEach
    void holdTheNextStream() {
        Hold.release = new CountDownLatch(1);
        Hold.held = new CountDownLatch(1);
        Hold.decoded.set(0);
        Hold.outcome = new CompletableFuture<>();
        String model = "generation-" + TinyModelFixture.register(generations).getId();
        body = "{\"model\": \"" + model + "\", \"prompt\": \"sort: cba\", \"stream\": true, \"temperature\": 0,"
                + " \"max_tokens\": " + MAX_TOKENS + "}";
    }

    @AfterEach
    void letGo() {
        Hold.release.countDown();
    }

    @Test
    void theFirstChunkArrivesWhileTheLaterTokensAreNotYetDecoded() throws Exception {
        HttpResponse<InputStream> response = OpenAiHttp.HTTP.send(
                new OpenAiHttp(port, serviceToken).request("/completions", body),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader events =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            JsonNode first = firstChunkWithText(events);
            int decodedWhenRead = Hold.decoded.get();

            assertThat(first.get("choices").get(0).get("text").asString()).isNotEmpty();
            assertThat(Hold.outcome).as("the decoding is still going on").isNotDone();

            Hold.release.countDown();
            String rest = events.lines().reduce("", (all, line) -> all + line + "\n");
            assertThat(rest).contains("data: [DONE]");
            assertThat(Hold.outcome.get(30, TimeUnit.SECONDS)).isEqualTo("finished");
            assertThat(Hold.decoded.get())
                    .as("tokens decoded after the first chunk was read")
                    .isGreaterThan(decodedWhenRead);
        }
    }

    @Test
    void aReaderWhoGoesAwayStopsTheDecoding() throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + serviceToken
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(payload);
            out.flush();
            BufferedReader events =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(events.readLine()).startsWith("HTTP/1.1 200");
            assertThat(Hold.held.await(30, TimeUnit.SECONDS)).isTrue();
        }
        // the socket is closed; the decoding goes on until it next writes to it
        Hold.release.countDown();

        assertThat(Hold.outcome.get(30, TimeUnit.SECONDS)).startsWith("stopped by");
        assertThat(Hold.decoded.get()).isLessThan(MAX_TOKENS);
    }

    private static JsonNode firstChunkWithText(BufferedReader events) throws Exception {
        for (String line = events.readLine(); line != null; line = events.readLine()) {
            if (line.startsWith("data: {")) {
                JsonNode chunk = OpenAiHttp.JSON.readTree(line.substring("data: ".length()));
                if (!chunk.get("choices").get(0).get("text").asString().isEmpty()) {
                    return chunk;
                }
            }
        }
        throw new AssertionError("the stream ended without text");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the decoding go on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
