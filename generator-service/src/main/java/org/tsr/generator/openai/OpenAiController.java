package org.tsr.generator.openai;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.tokenizer.ChatMessage;
import org.tsr.generator.Sampler;
import org.tsr.inference.GeneratedText;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every READY model generation behind OpenAI's {@code /v1/models}, {@code /v1/completions} and
 * {@code /v1/chat/completions}, so OpenAI's clients and tools work against the platform's models. A streamed answer
 * arrives as server-sent events in OpenAI's chunk format; the engine samples a batch whole, so each choice's text comes
 * in one chunk, followed by its finish reason and {@code [DONE]}.
 */
@RestController
@RequestMapping("/v1")
class OpenAiController {

    private final Sampler sampler;
    private final ModelGenerationRepository generations;
    private final JsonMapper json = JsonMapper.builder().build();

    OpenAiController(Sampler sampler, ModelGenerationRepository generations) {
        this.sampler = sampler;
        this.generations = generations;
    }

    @GetMapping("/models")
    Map<String, Object> models() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelGeneration generation : generations.findAll()) {
            if (generation.getStatus() == GenerationStatus.READY) {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("id", ModelNames.of(generation.getId()));
                model.put("object", "model");
                model.put("created", generation.getCreatedAt().getEpochSecond());
                model.put("owned_by", "tsr");
                model.put("name", generation.getName());
                model.put("kind", generation.getKind().name().toLowerCase(Locale.ROOT));
                data.add(model);
            }
        }
        return Map.of("object", "list", "data", data);
    }

    @PostMapping("/completions")
    ResponseEntity<?> completions(@RequestBody CompletionRequest request, HttpServletResponse response)
            throws IOException {
        long generationId = OpenAiParameters.generationId(request.model());
        List<String> prompts = OpenAiParameters.strings(request.prompt(), "prompt");
        if (prompts.isEmpty()) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "prompt", "prompt must not be empty");
        }
        SamplingSettings settings = OpenAiParameters.sampling(
                request.n(),
                request.temperature(),
                request.topP(),
                request.topK(),
                request.maxTokens(),
                request.stop(),
                request.seed());
        List<GeneratedText> choices = flatten(sampler.complete(generationId, "openai", prompts, settings));
        Answer answer = new Answer("cmpl-" + UUID.randomUUID(), request.model(), choices);
        if (Boolean.TRUE.equals(request.stream())) {
            stream(answer.completionChunks(), response);
            return null;
        }
        return ResponseEntity.ok(answer.completion());
    }

    @PostMapping("/chat/completions")
    ResponseEntity<?> chatCompletions(@RequestBody ChatCompletionRequest request, HttpServletResponse response)
            throws IOException {
        long generationId = OpenAiParameters.generationId(request.model());
        if (request.messages() == null || request.messages().isEmpty()) {
            throw new OpenAiException(HttpStatus.BAD_REQUEST, "messages", "messages must not be empty");
        }
        List<ChatMessage> conversation = new ArrayList<>();
        for (ChatCompletionRequest.Message message : request.messages()) {
            conversation.add(new ChatMessage(message.role(), contentText(message)));
        }
        Integer maxTokens = request.maxCompletionTokens() != null ? request.maxCompletionTokens() : request.maxTokens();
        SamplingSettings settings = OpenAiParameters.sampling(
                request.n(),
                request.temperature(),
                request.topP(),
                request.topK(),
                maxTokens,
                request.stop(),
                request.seed());
        List<GeneratedText> choices = flatten(sampler.chat(generationId, "openai", List.of(conversation), settings));
        Answer answer = new Answer("chatcmpl-" + UUID.randomUUID(), request.model(), choices);
        if (Boolean.TRUE.equals(request.stream())) {
            stream(answer.chatChunks(), response);
            return null;
        }
        return ResponseEntity.ok(answer.chatCompletion());
    }

    /** A message's content: a string, or an array of parts of which the text parts are joined. */
    private static String contentText(ChatCompletionRequest.Message message) {
        if (message.content() == null || message.content().isNull()) {
            return "";
        }
        if (message.content().isString()) {
            return message.content().asString();
        }
        StringBuilder text = new StringBuilder();
        for (var part : message.content()) {
            if ("text".equals(part.path("type").asString(""))) {
                text.append(part.path("text").asString(""));
            }
        }
        return text.toString();
    }

    /** Writes the chunks as server-sent events; the handler then returns null, the response being complete. */
    private void stream(List<Map<String, Object>> chunks, HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        OutputStream out = response.getOutputStream();
        for (Map<String, Object> chunk : chunks) {
            event(out, json.writeValueAsString(chunk));
        }
        event(out, "[DONE]");
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static List<GeneratedText> flatten(List<List<GeneratedText>> byPrompt) {
        return byPrompt.stream().flatMap(List::stream).toList();
    }

    /** One answer's choices, rendered in each of OpenAI's shapes. */
    private record Answer(String id, String model, List<GeneratedText> choices) {

        long created() {
            return Instant.now().getEpochSecond();
        }

        Map<String, Object> completion() {
            List<Map<String, Object>> rendered = new ArrayList<>();
            for (int i = 0; i < choices.size(); i++) {
                Map<String, Object> choice = new LinkedHashMap<>();
                choice.put("index", i);
                choice.put("text", choices.get(i).text());
                choice.put("logprobs", null);
                choice.put("finish_reason", finishReason(choices.get(i)));
                rendered.add(choice);
            }
            return envelope("text_completion", rendered, true);
        }

        Map<String, Object> chatCompletion() {
            List<Map<String, Object>> rendered = new ArrayList<>();
            for (int i = 0; i < choices.size(); i++) {
                Map<String, Object> message = new LinkedHashMap<>();
                message.put("role", "assistant");
                message.put("content", choices.get(i).text());
                message.put("refusal", null);
                Map<String, Object> choice = new LinkedHashMap<>();
                choice.put("index", i);
                choice.put("message", message);
                choice.put("logprobs", null);
                choice.put("finish_reason", finishReason(choices.get(i)));
                rendered.add(choice);
            }
            return envelope("chat.completion", rendered, true);
        }

        List<Map<String, Object>> completionChunks() {
            List<Map<String, Object>> chunks = new ArrayList<>();
            for (int i = 0; i < choices.size(); i++) {
                Map<String, Object> choice = new LinkedHashMap<>();
                choice.put("index", i);
                choice.put("text", choices.get(i).text());
                choice.put("logprobs", null);
                choice.put("finish_reason", finishReason(choices.get(i)));
                chunks.add(envelope("text_completion", List.of(choice), false));
            }
            return chunks;
        }

        List<Map<String, Object>> chatChunks() {
            List<Map<String, Object>> chunks = new ArrayList<>();
            for (int i = 0; i < choices.size(); i++) {
                chunks.add(chatChunk(
                        i, Map.of("role", "assistant", "content", choices.get(i).text()), null));
                chunks.add(chatChunk(i, Map.of(), finishReason(choices.get(i))));
            }
            return chunks;
        }

        private Map<String, Object> chatChunk(int index, Map<String, Object> delta, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("delta", delta);
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason);
            return envelope("chat.completion.chunk", List.of(choice), false);
        }

        private Map<String, Object> envelope(String object, List<Map<String, Object>> rendered, boolean withUsage) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("object", object);
            body.put("created", created());
            body.put("model", model);
            body.put("choices", rendered);
            if (withUsage) {
                int promptTokens = choices.stream()
                        .filter(c -> c.sampleIndex() == 0)
                        .mapToInt(GeneratedText::promptTokens)
                        .sum();
                int completionTokens = choices.stream()
                        .mapToInt(GeneratedText::completionTokens)
                        .sum();
                body.put(
                        "usage",
                        Map.of(
                                "prompt_tokens", promptTokens,
                                "completion_tokens", completionTokens,
                                "total_tokens", promptTokens + completionTokens));
            }
            return body;
        }

        private static String finishReason(GeneratedText text) {
            return text.finishReason().name().toLowerCase(Locale.ROOT);
        }
    }
}
