package org.tsr.generator.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tsr.engine.tokenizer.ChatMessage;
import tools.jackson.databind.JsonNode;

/**
 * The {@code messages} of a chat completion request, as the model's chat template renders them: system, developer
 * (a system message under its newer name), user and assistant turns with text content. Tool and function turns,
 * participant names and content other than text are refused, since the template has no place for them.
 */
final class ChatMessages {

    private static final Set<String> FIELDS =
            Set.of("role", "content", "name", "refusal", "tool_calls", "function_call", "audio");

    private ChatMessages() {}

    static List<ChatMessage> read(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw OpenAiException.invalid("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> conversation = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            conversation.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return conversation;
    }

    private static ChatMessage message(JsonNode message, String at) {
        if (!message.isObject()) {
            throw OpenAiException.invalid(at, at + " must be an object");
        }
        for (String name : message.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw OpenAiException.unknown(at + "." + name);
            }
        }
        JsonNode roleNode = RequestFields.present(message.get("role"));
        if (roleNode == null) {
            throw OpenAiException.invalid(at + ".role", at + ".role is required");
        }
        String role = RequestFields.text(roleNode, at + ".role");
        switch (role) {
            case "system", "developer", "user", "assistant" -> {}
            case "tool", "function" ->
                throw OpenAiException.unsupported(
                        at + ".role", role + " messages are not supported: this server runs no tools");
            default ->
                throw OpenAiException.invalid(
                        at + ".role", at + ".role must be system, developer, user or assistant, got '" + role + "'");
        }
        refuseSet(message, "name", at, "a participant's name has no place in the model's chat template");
        refuseSet(message, "refusal", at, "a refusal is not text the model's chat template renders");
        refuseSet(message, "function_call", at, "this server runs no functions");
        refuseSet(message, "audio", at, "this server answers in text only");
        JsonNode toolCalls = RequestFields.present(message.get("tool_calls"));
        if (toolCalls != null && !(toolCalls.isArray() && toolCalls.isEmpty())) {
            throw OpenAiException.unsupported(at + ".tool_calls", at + ".tool_calls is not supported: no tools run");
        }
        String content = content(RequestFields.present(message.get("content")), at + ".content", role);
        return new ChatMessage(role.equals("developer") ? "system" : role, content);
    }

    /** A string, or an array of text parts joined in order; an assistant turn may have none. */
    private static String content(JsonNode content, String at, String role) {
        if (content == null) {
            if (role.equals("assistant")) {
                return "";
            }
            throw OpenAiException.invalid(at, at + " is required");
        }
        if (content.isString()) {
            return RequestFields.text(content, at);
        }
        if (!content.isArray()) {
            throw OpenAiException.invalid(at, at + " must be a string or an array of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            text.append(textPart(content.get(j), at + "[" + j + "]"));
        }
        return text.toString();
    }

    private static String textPart(JsonNode part, String at) {
        if (!part.isObject()) {
            throw OpenAiException.invalid(at, at + " must be an object");
        }
        JsonNode type = RequestFields.present(part.get("type"));
        String kind = type == null ? null : RequestFields.text(type, at + ".type");
        if (!"text".equals(kind)) {
            throw OpenAiException.unsupported(
                    at + ".type", "only text content parts are supported, not " + (kind == null ? "none" : kind));
        }
        for (String name : part.propertyNames()) {
            if (!name.equals("type") && !name.equals("text")) {
                throw OpenAiException.unknown(at + "." + name);
            }
        }
        JsonNode text = RequestFields.present(part.get("text"));
        if (text == null) {
            throw OpenAiException.invalid(at + ".text", at + ".text is required");
        }
        return RequestFields.text(text, at + ".text");
    }

    private static void refuseSet(JsonNode message, String field, String at, String why) {
        if (RequestFields.present(message.get(field)) != null) {
            throw OpenAiException.unsupported(at + "." + field, at + "." + field + " is not supported: " + why);
        }
    }
}
