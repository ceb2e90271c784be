package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.tokenizer.ChatTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What a save keeps of the source folder besides the weights: config keys, generation config, chat template. */
class SavedCheckpointTest {

    private static final String JINJA_TEMPLATE =
            "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}"
                    + "{% if add_generation_prompt %}[assistant] {% endif %}";

    @TempDir
    Path dir;

    @Test
    void keysUnknownToTheEngineSurviveASave() throws Exception {
        Path source = TestModels.write(dir.resolve("source"), TestModels.qwen2(), 7, TensorDtype.BF16);
        ObjectNode config = HfConfigFile.readSource(source.resolve("config.json"));
        config.put("transformers_version", "4.51.3");
        config.putObject("custom_settings")
                .put("mode", "fast")
                .putArray("levels")
                .add(1)
                .add(2);
        int eos = config.get("eos_token_id").asInt();
        config.putArray("eos_token_id").add(eos).add(5);
        config.put("sliding_window", 4096);
        config.put("use_sliding_window", false);
        config.put("initializer_range", 0.006);
        config.put("torch_dtype", "float32");
        HfConfigFile.writeJson(config, source.resolve("config.json"));

        JsonNode saved = HfConfigFile.readJson(saveOf(source).resolve("config.json"));

        ObjectNode expected = config.deepCopy();
        expected.put("torch_dtype", "bfloat16"); // what the weights are stored in
        assertThat(saved).isEqualTo(expected);
    }

    @Test
    void theSourceGenerationConfigIsKeptAsItWas() throws Exception {
        Path source = TestModels.write(dir.resolve("source"), TestModels.llama(), 8);
        String generation = "{\n  \"bos_token_id\": 1,\n  \"eos_token_id\": [2, 3],\n  \"temperature\": 0.7,\n"
                + "  \"top_p\": 0.8,\n  \"repetition_penalty\": 1.05\n}\n";
        Files.writeString(source.resolve("generation_config.json"), generation);

        assertThat(saveOf(source).resolve("generation_config.json")).hasContent(generation);
    }

    @Test
    void aGenerationConfigIsWrittenWhenTheSourceHasNone() throws Exception {
        Path source = TestModels.write(dir.resolve("source"), TestModels.llama(), 9);
        Files.delete(source.resolve("generation_config.json"));

        JsonNode saved = HfConfigFile.readJson(saveOf(source).resolve("generation_config.json"));

        assertThat(saved.path("bos_token_id").asInt())
                .isEqualTo(TestModels.llama().bosTokenId());
        assertThat(saved.path("eos_token_id").asInt())
                .isEqualTo(TestModels.llama().eosTokenId());
    }

    @Test
    void aChatTemplateJinjaFileIsReadAndSavedBackAsAFile() throws Exception {
        Path source = TestModels.write(dir.resolve("source"), TestModels.llama(), 10);
        Files.writeString(source.resolve(ChatTemplate.TEMPLATE_FILE), JINJA_TEMPLATE);

        Path saved;
        try (LanguageModel model = LanguageModel.load(source, TestModels.options())) {
            assertThat(model.chatTemplate().orElseThrow().source()).isEqualTo(JINJA_TEMPLATE);
            saved = dir.resolve("saved");
            model.save(saved);
        }
        assertThat(saved.resolve(ChatTemplate.TEMPLATE_FILE)).hasContent(JINJA_TEMPLATE);
        assertThat(saved.resolve(ChatTemplate.TOKENIZER_CONFIG_FILE))
                .hasSameTextualContentAs(source.resolve(ChatTemplate.TOKENIZER_CONFIG_FILE));
        try (LanguageModel reloaded = LanguageModel.load(saved, TestModels.options())) {
            assertThat(reloaded.chatTemplate().orElseThrow().source()).isEqualTo(JINJA_TEMPLATE);
        }
    }

    private Path saveOf(Path source) {
        Path saved = dir.resolve("saved");
        try (LanguageModel model = LanguageModel.load(source, TestModels.options())) {
            model.save(saved);
        }
        return saved;
    }
}
