package org.tsr.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A chat template from {@code chat_template.jinja} or {@code tokenizer_config.json}, rendered with Jinja the way transformers'
 * {@code apply_chat_template} does: trim_blocks and lstrip_blocks on, the special tokens of the config in
 * scope, and {@code raise_exception} available to the template.
 */
public final class ChatTemplate {

    public static final String TOKENIZER_CONFIG_FILE = "tokenizer_config.json";

    /** Where transformers 4.43 and later save the template, instead of tokenizer_config.json's chat_template. */
    public static final String TEMPLATE_FILE = "chat_template.jinja";

    private static final List<String> SPECIAL_TOKEN_KEYS =
            List.of("bos_token", "eos_token", "pad_token", "unk_token", "sep_token", "cls_token", "mask_token");

    private final String source;
    private final Map<String, String> specialTokens;
    private final Jinjava jinjava;

    public ChatTemplate(String source, Map<String, String> specialTokens) {
        this.source = source;
        this.specialTokens = Map.copyOf(specialTokens);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(false)
                // Jinja2 binds filters tighter than '+': "a + b | trim" trims only b
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true)
                        .build())
                .build();
        jinjava = new Jinjava(config);
        jinjava.registerFunction(
                new ELFunctionDefinition("", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    }

    /**
     * The template of {@code dir}: {@code chat_template.jinja} when present (transformers then leaves it out of
     * the tokenizer config), else tokenizer_config.json's chat_template. The special tokens come from the
     * tokenizer config either way.
     */
    public static Optional<ChatTemplate> load(Path dir) {
        Path file = dir.resolve(TOKENIZER_CONFIG_FILE);
        Path templateFile = dir.resolve(TEMPLATE_FILE);
        JsonNode config = JsonMapper.builder().build().createObjectNode();
        try {
            if (Files.exists(file)) {
                config = JsonMapper.builder().build().readTree(Files.readString(file));
            }
        } catch (java.io.IOException | tools.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(file + ": cannot read tokenizer config: " + e.getMessage(), e);
        }
        String template;
        if (Files.exists(templateFile)) {
            try {
                template = Files.readString(templateFile);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(templateFile + ": cannot read chat template: " + e.getMessage(), e);
            }
        } else if (config.path("chat_template").isString()) {
            template = config.path("chat_template").asString();
        } else {
            return Optional.empty();
        }
        Map<String, String> specials = new HashMap<>();
        for (String key : SPECIAL_TOKEN_KEYS) {
            JsonNode token = config.path(key);
            // a token is either a plain string or an AddedToken object with a 'content' field
            String content = token.isObject() ? token.path("content").asString(null) : token.asString(null);
            if (content != null) {
                specials.put(key, content);
            }
        }
        return Optional.of(new ChatTemplate(template, specials));
    }

    public String source() {
        return source;
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put(
                "messages",
                messages.stream()
                        .map(message -> {
                            Map<String, Object> map = new LinkedHashMap<>();
                            map.put("role", message.role());
                            map.put("content", message.content());
                            return map;
                        })
                        .toList());
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = jinjava.renderForResult(source, context);
        List<TemplateError> errors = result.getErrors().stream()
                .filter(error -> error.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("chat template failed: "
                    + errors.stream().map(ChatTemplate::describe).collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }

    /** Jinjava wraps exceptions from template functions; the innermost message is the template's own. */
    private static String describe(TemplateError error) {
        Throwable cause = error.getException();
        while (cause != null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause == null ? error.getMessage() : error.getMessage() + ": " + cause.getMessage();
    }

    /** Called by templates that reject a conversation, e.g. roles that do not alternate. */
    public static String raiseException(String message) {
        throw new IllegalArgumentException("chat template rejected the conversation: " + message);
    }
}
