package org.tsr.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.standalone.Platform.Service;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.testkit.TestDatabase;

/**
 * The official OpenAI Java client as a caller of the platform: it reaches a model generation on the generator service
 * through the gateway's authenticated route {@code /api/v1/generator/v1}, with an API key as its bearer token. Only the
 * generator and the gateway run, started as {@link Platform} starts them.
 */
class OpenAiThroughGatewayTest {

    static final String API_KEY = "tsr_openai-client-test-key";

    @TempDir
    static Path work;

    static final List<ConfigurableApplicationContext> services = new ArrayList<>();
    static String baseUrl;
    static OpenAIClient client;
    static String model;

    @BeforeAll
    static void startTheGeneratorBehindTheGateway() {
        TestDatabase.Connection db = TestDatabase.connection();
        Platform.Database database = new Platform.Database(db.url(), db.user(), db.password());
        String serviceToken = Platform.newServiceToken();
        Map<String, String> settings = Map.of(
                "tsr.generator.worker-threads", "0",
                "tsr.orchestration.conduct", "false",
                "tsr.access.bootstrap-admin-key", API_KEY);
        ConfigurableApplicationContext generator = start(
                Service.GENERATOR,
                Platform.arguments(Service.GENERATOR, database, serviceToken, 0, settings, Map.of()));
        int generatorPort = Integer.parseInt(generator.getEnvironment().getRequiredProperty("local.server.port"));
        ConfigurableApplicationContext gateway = start(
                Service.GATEWAY,
                Platform.arguments(
                        Service.GATEWAY,
                        database,
                        serviceToken,
                        0,
                        settings,
                        Map.of(Service.GENERATOR, generatorPort)));

        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        Path tiny = TinyModels.create(work.resolve("tiny"), TinyModels.tiny(vocabulary), vocabulary, 5);
        long id = generator
                .getBean(ModelGenerationRepository.class)
                .save(ModelGeneration.imported(
                        "tiny-openai", GenerationKind.BASE, tiny.toUri().toString(), CheckpointFormat.HF_SAFETENSORS))
                .getId();
        model = "generation-" + id;
        baseUrl = "http://127.0.0.1:" + gateway.getEnvironment().getRequiredProperty("local.server.port")
                + "/api/v1/generator/v1";
        client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey(API_KEY)
                .maxRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).close();
        }
    }

    static ConfigurableApplicationContext start(Service service, List<String> arguments) {
        ConfigurableApplicationContext context =
                new SpringApplicationBuilder(service.application()).run(arguments.toArray(String[]::new));
        services.add(context);
        return context;
    }

    @Test
    void chatWithTwoChoicesReportsLogprobsAndUsage() {
        ChatCompletion chat = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("reverse: abc")
                        .n(2)
                        .logprobs(true)
                        .topLogprobs(2)
                        .maxCompletionTokens(8)
                        .seed(11)
                        .build());

        assertThat(chat.choices()).hasSize(2);
        long completionTokens = 0;
        for (ChatCompletion.Choice choice : chat.choices()) {
            var tokens = choice.logprobs().orElseThrow().content().orElseThrow();
            assertThat(tokens).isNotEmpty().allSatisfy(token -> {
                assertThat(token.logprob()).isLessThanOrEqualTo(0);
                assertThat(token.topLogprobs()).hasSize(2);
                assertThat(token.bytes()).isPresent();
            });
            boolean endOfSequence = choice.finishReason() == ChatCompletion.Choice.FinishReason.STOP;
            completionTokens += tokens.size() + (endOfSequence ? 1 : 0);
        }
        var usage = chat.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(completionTokens);
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    }

    @Test
    void aStreamedChatArrivesInPiecesThatJoinToTheWholeAnswer() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("add: 1+2")
                .n(2)
                .maxCompletionTokens(10)
                .seed(21)
                .build();
        ChatCompletion whole = client.chat().completions().create(params);

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(params.toBuilder()
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunks::add);
        }

        Map<Long, StringBuilder> streamed = new TreeMap<>();
        long pieces = 0;
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                String piece = choice.delta().content().orElse("");
                streamed.computeIfAbsent(choice.index(), index -> new StringBuilder())
                        .append(piece);
                pieces += piece.isEmpty() ? 0 : 1;
            }
        }
        for (ChatCompletion.Choice choice : whole.choices()) {
            assertThat(streamed.get(choice.index()))
                    .hasToString(choice.message().content().orElse(""));
        }
        assertThat(pieces).as("text chunks").isGreaterThan(2);
        assertThat(chunks.get(chunks.size() - 1).usage()).isEqualTo(whole.usage());
    }

    @Test
    void aCompletionEndsBeforeItsStopString() {
        CompletionCreateParams greedy = CompletionCreateParams.builder()
                .model(model)
                .prompt("sort: dcba")
                .maxTokens(16)
                .temperature(0.0)
                .build();
        String text = client.completions().create(greedy).choices().get(0).text();
        assertThat(text).hasSizeGreaterThanOrEqualTo(6);
        String stop = text.substring(3, 5);

        Completion stopped = client.completions()
                .create(greedy.toBuilder()
                        .stopOfStrings(List.of(stop, "\u0001"))
                        .build());

        CompletionChoice choice = stopped.choices().get(0);
        assertThat(choice.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(choice.finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);
    }

    @Test
    void anUnsupportedParameterIsTheClientsBadRequestWithTheServersMessage() {
        ChatCompletionCreateParams.Builder chat =
                ChatCompletionCreateParams.builder().model(model).addUserMessage("hi");

        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(chat.presencePenalty(0.5).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("presence_penalty is not supported by this server");
        assertThatThrownBy(() -> client.chat()
                        .completions()
                        .create(chat.presencePenalty(0.0)
                                .putAdditionalBodyProperty("frobnicate", JsonValue.from(1))
                                .build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("Unrecognized request argument supplied: frobnicate");
    }

    @Test
    void withoutAnApiKeyTheGatewayLetsNoOneThrough() {
        OpenAIClient anonymous = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey("not-a-key")
                .maxRetries(0)
                .build();

        assertThatThrownBy(() -> anonymous.models().list()).isInstanceOf(UnauthorizedException.class);
    }
}
