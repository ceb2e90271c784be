package org.tsr.generator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGenerationRepository;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible endpoints' behaviour, request by request, on the tiny model. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tsr.generator.worker-threads=0")
class OpenAiRequestsTest {

    static final String PROMPT = "sort: cba";

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    OpenAiHttp http;
    String model;

    @BeforeEach
    void tinyModel() {
        model = "generation-" + TinyModelFixture.register(generations).getId();
        http = new OpenAiHttp(port, serviceToken);
    }

    String chat(String fields) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + PROMPT + "\"}]"
                + fields + "}";
    }

    String completion(String fields) {
        return "{\"model\": \"" + model + "\", \"prompt\": \"" + PROMPT + "\"" + fields + "}";
    }

    @Test
    void withoutASeedEachRequestDrawsItsOwnAndWithOneTheAnswerRepeats() throws Exception {
        Set<String> unseeded = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            unseeded.add(content(http.postOk("/chat/completions", chat(", \"max_tokens\": 24"))));
        }
        String seeded = chat(", \"max_tokens\": 24, \"seed\": 5");

        assertThat(unseeded).hasSizeGreaterThan(1);
        assertThat(content(http.postOk("/chat/completions", seeded)))
                .isEqualTo(content(http.postOk("/chat/completions", seeded)));
    }

    @Test
    void parametersSentAtTheValueThatAsksForNothingAreAccepted() throws Exception {
        String chatDefaults = chat(", \"max_tokens\": 4, \"seed\": 1, \"response_format\": {\"type\": \"text\"},"
                + " \"presence_penalty\": 0, \"frequency_penalty\": 0.0, \"logit_bias\": {}, \"user\": \"u-1\","
                + " \"tools\": [], \"tool_choice\": \"none\", \"parallel_tool_calls\": true, \"store\": false,"
                + " \"metadata\": {\"team\": \"a\"}, \"service_tier\": \"auto\", \"modalities\": [\"text\"],"
                + " \"functions\": [], \"safety_identifier\": \"s\", \"prompt_cache_key\": \"k\", \"audio\": null,"
                + " \"logprobs\": false, \"stream\": false");
        String completionDefaults = completion(", \"max_tokens\": 4, \"echo\": false, \"best_of\": 1,"
                + " \"suffix\": \"\", \"presence_penalty\": 0, \"frequency_penalty\": 0, \"logit_bias\": {},"
                + " \"user\": \"u-1\", \"logprobs\": null");

        HttpResponse<String> chatAnswer = http.post("/chat/completions", chatDefaults);
        HttpResponse<String> completionAnswer = http.post("/completions", completionDefaults);

        assertThat(chatAnswer.statusCode()).as(chatAnswer.body()).isEqualTo(200);
        assertThat(completionAnswer.statusCode()).as(completionAnswer.body()).isEqualTo(200);
    }

    static Stream<Arguments> refusals() {
        String user = "{\"role\": \"user\", \"content\": \"hi\"}";
        return Stream.of(
                chatRefusal(", \"presence_penalty\": 0.5", "presence_penalty", "presence_penalty is not supported"),
                chatRefusal(
                        ", \"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"f\"}}]",
                        "tools",
                        "tools is not supported"),
                chatRefusal(
                        ", \"response_format\": {\"type\": \"json_schema\", \"json_schema\": {\"name\": \"x\"}}",
                        "response_format",
                        "accepts only {\"type\": \"text\"}"),
                chatRefusal(", \"logit_bias\": {\"50\": -100}", "logit_bias", "logit_bias is not supported"),
                chatRefusal(", \"service_tier\": \"flex\"", "service_tier", "service_tier is not supported"),
                chatRefusal(", \"audio\": {\"voice\": \"alloy\"}", "audio", "audio is not supported"),
                chatRefusal(", \"frobnicate\": 1", "frobnicate", "Unrecognized request argument supplied: frobnicate"),
                chatRefusal(", \"top_logprobs\": 2", "top_logprobs", "needs logprobs"),
                chatRefusal(", \"logprobs\": true, \"top_logprobs\": 21", "top_logprobs", "0 to 20"),
                chatRefusal(", \"n\": 17", "n", "n must be 1 to 16"),
                chatRefusal(", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]", "stop", "at most 4"),
                chatRefusal(", \"temperature\": 2.5", "temperature", "temperature must be"),
                chatRefusal(", \"stream_options\": {\"include_usage\": true}", "stream_options", "when stream is"),
                chatRefusal(
                        ", \"stream\": true, \"stream_options\": {\"with\": 1}",
                        "stream_options.with",
                        "Unrecognized request argument"),
                Arguments.of(
                        "/chat/completions",
                        "{\"model\": \"%s\", \"messages\": [" + user
                                + ", {\"role\": \"tool\", \"content\": \"4\", \"tool_call_id\": \"c\"}]}",
                        "messages[1].tool_call_id",
                        "Unrecognized request argument"),
                Arguments.of(
                        "/chat/completions",
                        "{\"model\": \"%s\", \"messages\": [" + user + ", {\"role\": \"tool\", \"content\": \"4\"}]}",
                        "messages[1].role",
                        "tool messages are not supported"),
                Arguments.of(
                        "/chat/completions",
                        "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\","
                                + " \"text\": \"hi\"}, {\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}",
                        "messages[0].content[1].type",
                        "only text content parts are supported, not image_url"),
                Arguments.of(
                        "/chat/completions",
                        "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"name\": \"ann\", \"content\": \"hi\"}]}",
                        "messages[0].name",
                        "participant's name"),
                Arguments.of("/chat/completions", "{\"model\": \"%s\", \"messages\": []}", "messages", "non-empty"),
                completionRefusal(", \"echo\": true", "echo", "echo is not supported"),
                completionRefusal(", \"best_of\": 2", "best_of", "best_of is not supported"),
                completionRefusal(", \"suffix\": \"done\"", "suffix", "suffix is not supported"),
                completionRefusal(", \"logprobs\": 6", "logprobs", "logprobs must be 0 to 5"),
                completionRefusal(", \"max_completion_tokens\": 4", "max_completion_tokens", "Unrecognized"),
                Arguments.of(
                        "/completions",
                        "{\"model\": \"%s\", \"prompt\": [1, 2, 3]}",
                        "prompt",
                        "token ids are not supported"));
    }

    static Arguments chatRefusal(String fields, String param, String message) {
        return Arguments.of(
                "/chat/completions",
                "{\"model\": \"%s\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]" + fields + "}",
                param,
                message);
    }

    static Arguments completionRefusal(String fields, String param, String message) {
        return Arguments.of("/completions", "{\"model\": \"%s\", \"prompt\": \"hi\"" + fields + "}", param, message);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("refusals")
    void whatThisServerDoesNotImplementIsABadRequestNamingTheParameter(
            String path, String body, String param, String message) throws Exception {
        HttpResponse<String> response = http.post(path, body.formatted(model));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = OpenAiHttp.JSON.readTree(response.body()).get("error");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asString()).isEqualTo(param);
        assertThat(error.get("message").asString()).contains(message);
        assertThat(error.has("code")).isTrue();
    }

    @Test
    void chatLogprobsGiveEachTokenItsBytesAndTheMostLikelyAlternatives() throws Exception {
        JsonNode answer = http.postOk(
                "/chat/completions",
                chat(", \"n\": 2, \"max_tokens\": 12, \"seed\": 3, \"logprobs\": true, \"top_logprobs\": 3"));

        int completionTokens = 0;
        for (JsonNode choice : answer.get("choices")) {
            List<JsonNode> entries = list(choice.get("logprobs").get("content"));
            StringBuilder tokens = new StringBuilder();
            for (JsonNode entry : entries) {
                String token = entry.get("token").asString();
                tokens.append(token);
                assertThat(entry.get("logprob").asDouble()).isLessThanOrEqualTo(0);
                assertThat(list(entry.get("bytes")).stream()
                                .map(JsonNode::asInt)
                                .toList())
                        .isEqualTo(TokenBytes.of(token));
                List<Double> top = list(entry.get("top_logprobs")).stream()
                        .map(alternative -> alternative.get("logprob").asDouble())
                        .toList();
                assertThat(top).hasSize(3).isSortedAccordingTo((a, b) -> Double.compare(b, a));
                assertThat(top.get(0))
                        .isGreaterThanOrEqualTo(entry.get("logprob").asDouble());
            }
            assertThat(withoutSpecialTokens(tokens.toString()))
                    .isEqualTo(choice.get("message").get("content").asString());
            // an end-of-sequence token counts in usage but is not a token of the text
            completionTokens += entries.size() + (isStop(choice) ? 1 : 0);
        }
        assertThat(answer.get("usage").get("completion_tokens").asInt()).isEqualTo(completionTokens);
    }

    @Test
    void completionLogprobsAreTheLegacyObjectWithOffsetsFromTheStartOfThePrompt() throws Exception {
        JsonNode answer = http.postOk("/completions", completion(", \"max_tokens\": 8, \"seed\": 4, \"logprobs\": 2"));

        JsonNode logprobs = answer.get("choices").get(0).get("logprobs");
        List<String> tokens =
                list(logprobs.get("tokens")).stream().map(JsonNode::asString).toList();
        List<JsonNode> tokenLogprobs = list(logprobs.get("token_logprobs"));
        List<JsonNode> top = list(logprobs.get("top_logprobs"));
        List<Integer> offsets =
                list(logprobs.get("text_offset")).stream().map(JsonNode::asInt).toList();
        assertThat(tokens).isNotEmpty();
        assertThat(tokenLogprobs).hasSameSizeAs(tokens);
        assertThat(top).hasSameSizeAs(tokens);
        int offset = PROMPT.length();
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(offsets.get(i)).isEqualTo(offset);
            offset += tokens.get(i).length();
            // the two most likely, and the sampled token when it is not one of them
            assertThat(top.get(i).size()).isBetween(2, 3);
            assertThat(top.get(i).get(tokens.get(i)).asDouble())
                    .isEqualTo(tokenLogprobs.get(i).asDouble());
        }
    }

    @Test
    void usageCountsEachPromptOnceAndEveryChoicesTokens() throws Exception {
        JsonNode answer = http.postOk(
                "/completions",
                "{\"model\": \"" + model + "\", \"prompt\": [\"ab\", \"abcd\"], \"n\": 3, \"max_tokens\": 5,"
                        + " \"seed\": 8, \"logprobs\": 0}");

        List<JsonNode> choices = list(answer.get("choices"));
        assertThat(choices).extracting(choice -> choice.get("index").asInt()).containsExactly(0, 1, 2, 3, 4, 5);
        int completionTokens = 0;
        for (JsonNode choice : choices) {
            completionTokens += choice.get("logprobs").get("tokens").size() + (isStop(choice) ? 1 : 0);
        }
        JsonNode usage = answer.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(6);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(completionTokens);
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(6 + completionTokens);
    }

    @Test
    void aStopStringCutsTheTextBeforeItWholeAndStreamed() throws Exception {
        String greedy = text(http.postOk("/completions", completion(", \"max_tokens\": 16, \"temperature\": 0")));
        assertThat(greedy).hasSizeGreaterThanOrEqualTo(8);
        String stop = greedy.substring(5, 7);
        String expected = greedy.substring(0, greedy.indexOf(stop));

        String stopped =
                completion(", \"max_tokens\": 16, \"temperature\": 0, \"stop\": [\"\\u0001\", \"" + stop + "\"]");
        JsonNode whole = http.postOk("/completions", stopped);
        List<JsonNode> chunks = OpenAiHttp.chunks(http.post("/completions", stopped.replace("}", ", \"stream\": true}"))
                .body());

        assertThat(text(whole)).isEqualTo(expected);
        assertThat(whole.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(chunks.stream()
                        .map(chunk -> chunk.get("choices").get(0).get("text").asString())
                        .reduce("", String::concat))
                .isEqualTo(expected);
        assertThat(chunks.get(chunks.size() - 1)
                        .get("choices")
                        .get(0)
                        .get("finish_reason")
                        .asString())
                .isEqualTo("stop");
    }

    @Test
    void aStreamInterleavesTheChoicesByIndexAndEndsWithUsageAndDone() throws Exception {
        String fields = ", \"n\": 2, \"max_tokens\": 10, \"seed\": 9";
        JsonNode whole = http.postOk("/chat/completions", chat(fields));
        HttpResponse<String> response = http.post(
                "/chat/completions",
                chat(fields + ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"));

        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<JsonNode> chunks = OpenAiHttp.chunks(response.body());
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("id").asString())
                    .isEqualTo(chunks.get(0).get("id").asString());
        });
        assertThat(chunks.subList(0, 2))
                .extracting(chunk ->
                        chunk.get("choices").get(0).get("delta").get("role").asString())
                .containsExactly("assistant", "assistant");
        Map<Integer, StringBuilder> contents = new LinkedHashMap<>();
        List<Integer> order = new ArrayList<>();
        for (JsonNode chunk : chunks.subList(0, chunks.size() - 1)) {
            JsonNode choice = chunk.get("choices").get(0);
            String piece = choice.get("delta").path("content").asString("");
            if (!piece.isEmpty()) {
                order.add(choice.get("index").asInt());
                contents.computeIfAbsent(choice.get("index").asInt(), index -> new StringBuilder())
                        .append(piece);
            }
        }
        // both choices advance together: choice 1 has text before choice 0 has all of its
        assertThat(order.indexOf(1)).isLessThan(order.lastIndexOf(0));
        for (JsonNode choice : whole.get("choices")) {
            assertThat(contents.get(choice.get("index").asInt()))
                    .hasToString(choice.get("message").get("content").asString());
        }
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.get("choices")).isEmpty();
        assertThat(last.get("usage")).isEqualTo(whole.get("usage"));
    }

    @Test
    void aStreamRefusedBeforeItsFirstTokenGetsAnErrorStatusNotAStream() throws Exception {
        HttpResponse<String> unknown = http.post(
                "/chat/completions",
                "{\"model\": \"generation-99999999\", \"stream\": true, \"messages\": [{\"role\": \"user\","
                        + " \"content\": \"hi\"}]}");
        HttpResponse<String> tooLong = http.post(
                "/completions",
                "{\"model\": \"" + model + "\", \"stream\": true, \"prompt\": \"" + "x".repeat(300) + "\"}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(OpenAiHttp.JSON
                        .readTree(unknown.body())
                        .get("error")
                        .get("param")
                        .asString())
                .isEqualTo("model");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(OpenAiHttp.JSON
                        .readTree(tooLong.body())
                        .get("error")
                        .get("message")
                        .asString())
                .contains("300 tokens");
    }

    private static String content(JsonNode answer) {
        return answer.get("choices").get(0).get("message").get("content").asString();
    }

    private static String text(JsonNode answer) {
        return answer.get("choices").get(0).get("text").asString();
    }

    private static boolean isStop(JsonNode choice) {
        return choice.get("finish_reason").asString().equals("stop");
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    /** The token texts joined as the decoded text has them: special tokens' names left out. */
    private static String withoutSpecialTokens(String tokens) {
        String text = tokens;
        for (String special : List.of(
                CharacterVocabulary.PAD,
                CharacterVocabulary.BOS,
                CharacterVocabulary.EOS,
                CharacterVocabulary.UNK,
                CharacterVocabulary.IM_START,
                CharacterVocabulary.IM_END)) {
            text = text.replace(special, "");
        }
        return text;
    }
}
