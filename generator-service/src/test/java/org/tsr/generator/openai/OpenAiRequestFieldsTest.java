package org.tsr.generator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Which request fields the OpenAI-compatible endpoints take, and how they refuse the ones they do not implement. */
class OpenAiRequestFieldsTest extends TinyModelRequests {

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
}
