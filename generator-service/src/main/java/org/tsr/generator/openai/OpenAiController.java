package org.tsr.generator.openai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.engine.sampling.TokenFeed;
import org.tsr.generator.Sampler;
import org.tsr.inference.GeneratedText;
import org.tsr.store.lineage.GenerationStatus;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.JsonNode;

/**
 * Every READY model generation behind OpenAI's {@code /v1/models}, {@code /v1/completions} and
 * {@code /v1/chat/completions}, so OpenAI's clients and tools work against the platform's models. Requests are read
 * against OpenAI's API: parameters this server does not implement are refused unless sent at the value that asks for
 * nothing, and unknown fields are refused (see {@link UnsupportedParameters}). Answers come whole, or streamed token by
 * token ({@link AnswerStreams}).
 */
@RestController
@RequestMapping("/v1")
class OpenAiController {

    private static final String MODEL_ROLE = "openai";

    private final Sampler sampler;
    private final ModelGenerationRepository generations;
    private final AnswerStreams streams;

    OpenAiController(Sampler sampler, ModelGenerationRepository generations, AnswerStreams streams) {
        this.sampler = sampler;
        this.generations = generations;
        this.streams = streams;
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
    ResponseEntity<?> completions(@RequestBody JsonNode body) {
        CompletionRequest request = CompletionRequest.read(body);
        AnswerSettings settings = request.settings();
        AnswerFormat format = new TextFormat(AnswerHeader.of("cmpl-", settings.model()), settings, request.prompts());
        return answer(
                settings,
                format,
                request.prompts().size() * settings.sampling().n(),
                feed -> sampler.complete(
                        settings.generationId(), MODEL_ROLE, request.prompts(), settings.sampling(), feed));
    }

    @PostMapping("/chat/completions")
    ResponseEntity<?> chatCompletions(@RequestBody JsonNode body) {
        ChatCompletionRequest request = ChatCompletionRequest.read(body);
        AnswerSettings settings = request.settings();
        AnswerFormat format = new ChatFormat(AnswerHeader.of("chatcmpl-", settings.model()), settings);
        return answer(
                settings,
                format,
                settings.sampling().n(),
                feed -> sampler.chat(
                        settings.generationId(), MODEL_ROLE, List.of(request.messages()), settings.sampling(), feed));
    }

    private ResponseEntity<?> answer(
            AnswerSettings settings,
            AnswerFormat format,
            int choices,
            Function<TokenFeed, List<List<GeneratedText>>> sampling) {
        if (settings.stream()) {
            return streams.stream(settings, format, choices, sampling);
        }
        TokenLog log = new TokenLog(settings);
        List<List<GeneratedText>> samples = sampling.apply(settings.feed(log::add));
        return ResponseEntity.ok(format.whole(log.choices(samples), Usage.of(samples)));
    }
}
