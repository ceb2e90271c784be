package org.tsr.inference.remote;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.edge.RemoteHosts;
import org.tsr.engine.sampling.DecodedToken;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.InferenceProperties;
import org.tsr.inference.TextBackend;
import org.tsr.inference.UnsupportedSamplingException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model served by an OpenAI-compatible server (vLLM, TGI, DJL Serving, llama.cpp server) through
 * {@code /v1/completions} and {@code /v1/chat/completions}. One request per prompt with {@code n} samples; requests
 * run in parallel up to a per-server limit; 429, 5xx answers, timeouts and refused connections are retried with
 * exponential backoff; anything else fails at once with the server's answer in the message.
 */
public final class RemoteBackend implements TextBackend {

    private final RemoteEndpoint endpoint;
    private final HttpClient http;
    private final InferenceProperties.Remote settings;
    private final Semaphore inFlight;
    private final Executor executor;
    private final RetryTemplate retry;
    private final JsonMapper json = JsonMapper.builder().build();

    public RemoteBackend(
            RemoteEndpoint endpoint, HttpClient http, InferenceProperties.Remote settings, Executor executor) {
        this.endpoint = endpoint;
        this.http = http;
        this.settings = settings;
        this.inFlight = new Semaphore(Math.max(1, settings.maxConcurrentRequests()));
        this.executor = executor;
        this.retry = new RetryTemplate(RetryPolicy.builder()
                .maxRetries(settings.maxRetries())
                .delay(settings.initialBackoff())
                .multiplier(2)
                .maxDelay(settings.initialBackoff().multipliedBy(64))
                .predicate(e -> e instanceof RemoteServerException remote && remote.isRetryable())
                .build());
    }

    @Override
    public List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings sampling) {
        return inParallel(prompts, (prompt, index) -> {
            Map<String, Object> body = requestBody(sampling);
            body.put("prompt", prompt);
            return parse(post("/completions", body), index, choice -> choice.path("text"));
        });
    }

    @Override
    public List<List<GeneratedText>> chat(List<List<ChatMessage>> conversations, SamplingSettings sampling) {
        return inParallel(conversations, (conversation, index) -> {
            Map<String, Object> body = requestBody(sampling);
            body.put(
                    "messages",
                    conversation.stream()
                            .map(message -> new Turn(message.role(), message.content()))
                            .toList());
            return parse(
                    post("/chat/completions", body),
                    index,
                    choice -> choice.path("message").path("content"));
        });
    }

    @Override
    public List<List<GeneratedText>> complete(List<String> prompts, SamplingSettings sampling, TokenFeed feed) {
        return reportWhole(complete(prompts, refuseLogprobs(sampling, feed)), feed);
    }

    @Override
    public List<List<GeneratedText>> chat(
            List<List<ChatMessage>> conversations, SamplingSettings sampling, TokenFeed feed) {
        return reportWhole(chat(conversations, refuseLogprobs(sampling, feed)), feed);
    }

    @Override
    public String kind() {
        return "remote";
    }

    private SamplingSettings refuseLogprobs(SamplingSettings sampling, TokenFeed feed) {
        if (feed.logprobs()) {
            throw new UnsupportedSamplingException(
                    "logprobs",
                    "log-probabilities are reported for models on the embedded engine only; " + endpoint.baseUrl()
                            + " serves this one");
        }
        return sampling;
    }

    /** The server's answer comes whole (no streaming upstream): each sample is reported once, after all arrived. */
    private static List<List<GeneratedText>> reportWhole(List<List<GeneratedText>> samples, TokenFeed feed) {
        for (List<GeneratedText> prompt : samples) {
            for (GeneratedText sample : prompt) {
                feed.listener()
                        .onToken(new DecodedToken(
                                sample.promptIndex(),
                                sample.sampleIndex(),
                                sample.text(),
                                null,
                                List.of(),
                                sample.finishReason()));
            }
        }
        return samples;
    }

    /** A chat message as OpenAI's API spells it, role first. */
    private record Turn(String role, String content) {}

    private interface Call<T> {
        List<GeneratedText> apply(T input, int index);
    }

    private <T> List<List<GeneratedText>> inParallel(List<T> inputs, Call<T> call) {
        List<CompletableFuture<List<GeneratedText>>> futures = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            int index = i;
            futures.add(CompletableFuture.supplyAsync(() -> call.apply(inputs.get(index), index), executor));
        }
        List<List<GeneratedText>> results = new ArrayList<>(inputs.size());
        try {
            for (CompletableFuture<List<GeneratedText>> future : futures) {
                results.add(future.join());
            }
        } catch (CompletionException e) {
            futures.forEach(future -> future.cancel(true));
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
        return results;
    }

    private Map<String, Object> requestBody(SamplingSettings sampling) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", endpoint.model());
        body.put("n", sampling.n());
        body.put("temperature", sampling.temperature());
        body.put("top_p", sampling.topP());
        body.put("max_tokens", sampling.maxTokens());
        body.put("seed", sampling.seed());
        if (!sampling.stop().isEmpty()) {
            body.put("stop", sampling.stop());
        }
        if (sampling.topK() > 0) {
            body.put("top_k", sampling.topK()); // an extension vLLM and llama.cpp accept
        }
        return body;
    }

    private JsonNode post(String path, Map<String, Object> body) {
        // checked at every call, not only at registration: the allow-list may have shrunk since
        String refusal = RemoteHosts.of(settings.allowedHosts()).refusal(endpoint.baseUrl());
        if (refusal != null) {
            throw new RemoteServerException("refusing to call " + endpoint.baseUrl() + ": " + refusal, false, null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) {
            request.header("Authorization", "Bearer " + settings.apiKey());
        }
        HttpRequest built = request.build();
        try {
            return retry.execute(() -> send(built));
        } catch (RetryException e) {
            Throwable last = e.getLastException();
            String attempts = (e.getRetryCount() + 1) + " attempt" + (e.getRetryCount() == 0 ? "" : "s");
            throw new RemoteServerException(
                    last.getMessage() + (e.getRetryCount() > 0 ? " (gave up after " + attempts + ")" : ""),
                    false,
                    last);
        }
    }

    private JsonNode send(HttpRequest request) {
        String target = request.uri().toString();
        HttpResponse<String> response;
        try {
            inFlight.acquire();
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } finally {
                inFlight.release();
            }
        } catch (HttpTimeoutException e) {
            throw new RemoteServerException(
                    "no answer from " + target + " within "
                            + settings.requestTimeout().toSeconds() + " s",
                    true,
                    e);
        } catch (IOException e) {
            throw new RemoteServerException(
                    "cannot reach " + target + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    true,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteServerException("interrupted while calling " + target, false, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            boolean retryable = status == 429 || status >= 500;
            throw new RemoteServerException(
                    target + " answered HTTP " + status + ": " + abbreviate(response.body()), retryable, null);
        }
        try {
            return json.readTree(response.body());
        } catch (JacksonException e) {
            throw new RemoteServerException(
                    target + " answered with malformed JSON: " + abbreviate(response.body()), false, e);
        }
    }

    private List<GeneratedText> parse(JsonNode answer, int promptIndex, Function<JsonNode, JsonNode> textOf) {
        JsonNode choices = answer.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw new RemoteServerException(
                    endpoint.baseUrl() + " answered without choices: " + abbreviate(answer.toString()), false, null);
        }
        int promptTokens = answer.path("usage").path("prompt_tokens").asInt(0);
        List<JsonNode> ordered = new ArrayList<>();
        choices.forEach(ordered::add);
        ordered.sort(Comparator.comparingInt(choice -> choice.path("index").asInt(0)));
        List<GeneratedText> samples = new ArrayList<>(ordered.size());
        for (int sample = 0; sample < ordered.size(); sample++) {
            JsonNode choice = ordered.get(sample);
            JsonNode text = textOf.apply(choice);
            if (!text.isString()) {
                throw new RemoteServerException(
                        endpoint.baseUrl() + " answered a choice without text: " + abbreviate(choice.toString()),
                        false,
                        null);
            }
            FinishReason finish = "length".equals(choice.path("finish_reason").asString(""))
                    ? FinishReason.LENGTH
                    : FinishReason.STOP;
            samples.add(new GeneratedText(
                    promptIndex,
                    sample,
                    text.asString(),
                    promptTokens,
                    completionTokens(answer, ordered.size()),
                    finish));
        }
        return samples;
    }

    /** Servers report usage for the whole request; spread it evenly over its samples. */
    private static int completionTokens(JsonNode answer, int samples) {
        return answer.path("usage").path("completion_tokens").asInt(0) / Math.max(1, samples);
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
