package org.tsr.generator.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.ResponseFormatText;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;

/** The official OpenAI Java client against the generator's OpenAI-compatible endpoints, on the tiny model. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tsr.generator.worker-threads=0")
class OpenAiEndpointsTest {

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    OpenAIClient client;
    String model;

    @BeforeEach
    void clientForTheTinyModel() {
        ModelGeneration m0 = TinyModelFixture.register(generations);
        model = "generation-" + m0.getId();
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://localhost:" + port + "/v1")
                .apiKey(serviceToken)
                .maxRetries(0)
                .build();
    }

    @Test
    void theClientsParametersAtTheirDefaultsAreAccepted() {
        ChatCompletion chat = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("reverse: abc")
                        .maxCompletionTokens(4)
                        .presencePenalty(0.0)
                        .frequencyPenalty(0.0)
                        .responseFormat(ResponseFormatText.builder().build())
                        .store(false)
                        .serviceTier(ChatCompletionCreateParams.ServiceTier.AUTO)
                        .user("user-1")
                        .parallelToolCalls(true)
                        .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                        .seed(3)
                        .build());

        assertThat(chat.choices()).singleElement();
    }

    @Test
    void aParameterSetToSomethingNotImplementedIsTheClientsBadRequest() {
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(ChatCompletionCreateParams.builder()
                                .model(model)
                                .addUserMessage("reverse: abc")
                                .presencePenalty(0.5)
                                .build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("presence_penalty is not supported by this server");
    }

    @Test
    void listsReadyGenerationsAsModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).contains(model);
    }

    @Test
    void completesRawPromptsWithNSamples() {
        Completion completion = client.completions()
                .create(CompletionCreateParams.builder()
                        .model(model)
                        .prompt("sort: cba")
                        .n(3)
                        .maxTokens(6)
                        .seed(11)
                        .temperature(1.0)
                        .build());

        assertThat(completion.choices()).hasSize(3);
        assertThat(completion.choices())
                .allSatisfy(choice -> assertThat(choice.text()).isNotNull());
        assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
    }

    @Test
    void answersChatCompletions() {
        ChatCompletion chat = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("reverse: abc")
                        .maxCompletionTokens(8)
                        .temperature(0.0)
                        .build());

        assertThat(chat.choices()).singleElement().satisfies(choice -> {
            assertThat(choice.message().content()).isPresent();
            assertThat(choice.finishReason().asString()).isIn("stop", "length");
        });
    }

    @Test
    void streamsChatCompletionsAsChunks() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("add: 1+2")
                .maxCompletionTokens(8)
                .temperature(0.0)
                .build();
        String whole = client.chat()
                .completions()
                .create(params)
                .choices()
                .get(0)
                .message()
                .content()
                .orElse("");

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        String streamed = chunks.stream()
                .flatMap(chunk -> chunk.choices().stream())
                .map(choice -> choice.delta().content().orElse(""))
                .reduce("", String::concat);
        assertThat(streamed).isEqualTo(whole);
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason())
                .isPresent();
    }

    @Test
    void unknownModelIsNotFound() {
        assertThatThrownBy(() -> client.completions()
                        .create(CompletionCreateParams.builder()
                                .model("generation-99999999")
                                .prompt("x")
                                .build()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("model generation 99999999 does not exist");
    }

    @Test
    void outOfRangeSamplingIsABadRequestNamingTheParameter() {
        assertThatThrownBy(() -> client.completions()
                        .create(CompletionCreateParams.builder()
                                .model(model)
                                .prompt("x")
                                .temperature(-1.0)
                                .build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("temperature must be 0.0 to 2.0, got -1.0");
    }
}
