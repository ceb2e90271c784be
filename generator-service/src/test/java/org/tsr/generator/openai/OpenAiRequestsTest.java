package org.tsr.generator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible endpoints' behaviour, request by request, on the tiny model. */
class OpenAiRequestsTest extends TinyModelRequests {

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
