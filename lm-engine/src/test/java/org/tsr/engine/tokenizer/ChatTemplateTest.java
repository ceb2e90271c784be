package org.tsr.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {

    /** The header-style template Llama 3 Instruct checkpoints ship. */
    static final String LLAMA3 = "{% set loop_messages = messages %}"
            + "{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
            + " + message['content'] | trim + '<|eot_id|>' %}"
            + "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
            + "{{ content }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /** ChatML with indented block tags on their own lines: renders right only with trim_blocks and lstrip_blocks. */
    static final String CHATML_MULTILINE = """
            {% for message in messages %}
                {% if message['role'] not in ['system', 'user', 'assistant'] %}
                    {{ raise_exception('unknown role ' + message['role']) }}
                {% endif %}
            {{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' }}
            {% endfor %}
            {% if add_generation_prompt %}
            {{ '<|im_start|>assistant' }}
            {% endif %}
            """;

    @TempDir
    Path dir;

    @Test
    void rendersChatMlFromTheBuiltInTokenizerConfig() {
        CharacterVocabulary.ascii().writeTo(dir, 256);
        ChatTemplate template = ChatTemplate.load(dir).orElseThrow();
        String rendered =
                template.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Sort: cba")), true);
        assertThat(rendered)
                .isEqualTo("<|im_start|>system\nBe brief.<|im_end|>\n"
                        + "<|im_start|>user\nSort: cba<|im_end|>\n"
                        + "<|im_start|>assistant\n");
    }

    @Test
    void blockTagsOnTheirOwnLinesLeaveNoWhitespace() {
        ChatTemplate template = new ChatTemplate(CHATML_MULTILINE, Map.of());
        String rendered = template.render(List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello")), false);
        assertThat(rendered).isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n");
    }

    @Test
    void rendersLlama3HeadersWithBosTrimmedContentAndGenerationPrompt() throws Exception {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"<|begin_of_text|>\"}, \"eos_token\": \"<|eot_id|>\", "
                        + "\"chat_template\": "
                        + tools.jackson.databind.json.JsonMapper.builder()
                                .build()
                                .writeValueAsString(LLAMA3) + "}");
        ChatTemplate template = ChatTemplate.load(dir).orElseThrow();
        String rendered =
                template.render(List.of(ChatMessage.system("  You judge.  "), ChatMessage.user("Rate this.\n")), true);
        assertThat(rendered)
                .isEqualTo("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou judge.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nRate this.<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void raiseExceptionInTheTemplateFailsTheRender() {
        ChatTemplate template = new ChatTemplate(CHATML_MULTILINE, Map.of());
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("tool", "x")), false))
                .hasMessageContaining("unknown role tool");
    }

    @Test
    void configWithoutTemplateHasNone() throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
        assertThat(ChatTemplate.load(dir)).isEmpty();
    }
}
