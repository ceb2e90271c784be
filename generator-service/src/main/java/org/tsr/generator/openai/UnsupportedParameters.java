package org.tsr.generator.openai;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The parameters of OpenAI's API that this server knows but does not implement. Each is accepted at the value that
 * asks for nothing (a penalty of 0, no logit bias, plain text as the response format, no tools, ...), so that clients
 * sending their defaults work, and refused at any other value; a field that is not in OpenAI's API for the endpoint
 * is refused too, rather than silently ignored. The names are those of OpenAI's API reference and its Java client's
 * request bodies (openai-java 4.105).
 */
final class UnsupportedParameters {

    /** The values of a parameter that ask for nothing this server would have to do. */
    record NoOp(String accepted, Predicate<JsonNode> isNoOp) {}

    static final Map<String, NoOp> CHAT = Map.ofEntries(
            Map.entry("frequency_penalty", new NoOp("0", UnsupportedParameters::isZero)),
            Map.entry("presence_penalty", new NoOp("0", UnsupportedParameters::isZero)),
            Map.entry("logit_bias", new NoOp("{}", value -> value.isObject() && value.isEmpty())),
            Map.entry("response_format", new NoOp("{\"type\": \"text\"}", UnsupportedParameters::isTextFormat)),
            Map.entry("tools", new NoOp("[]", UnsupportedParameters::isEmptyArray)),
            Map.entry("tool_choice", new NoOp("\"none\" or \"auto\" (there are no tools)", oneOf("none", "auto"))),
            Map.entry("parallel_tool_calls", new NoOp("true or false (there are no tools)", JsonNode::isBoolean)),
            Map.entry("functions", new NoOp("[]", UnsupportedParameters::isEmptyArray)),
            Map.entry(
                    "function_call", new NoOp("\"none\" or \"auto\" (there are no functions)", oneOf("none", "auto"))),
            Map.entry("modalities", new NoOp("[\"text\"]", UnsupportedParameters::isTextOnly)),
            Map.entry("store", new NoOp("false", value -> value.isBoolean() && !value.booleanValue())),
            Map.entry("service_tier", new NoOp("\"auto\" or \"default\"", oneOf("auto", "default"))),
            Map.entry("reasoning_effort", new NoOp("\"none\"", oneOf("none"))),
            Map.entry("verbosity", new NoOp("\"medium\"", oneOf("medium"))),
            // identifiers and caching hints, which change nothing in the answer
            Map.entry("user", new NoOp("a string", JsonNode::isString)),
            Map.entry("safety_identifier", new NoOp("a string", JsonNode::isString)),
            Map.entry("prompt_cache_key", new NoOp("a string", JsonNode::isString)),
            Map.entry("prompt_cache_retention", new NoOp("a string", JsonNode::isString)),
            Map.entry("prompt_cache_options", new NoOp("an object", JsonNode::isObject)),
            Map.entry("metadata", new NoOp("an object", JsonNode::isObject)),
            // no value of these asks for nothing: sent at all, they are refused
            Map.entry("audio", nothing()),
            Map.entry("prediction", nothing()),
            Map.entry("web_search_options", nothing()),
            Map.entry("moderation", nothing()));

    static final Map<String, NoOp> COMPLETIONS = Map.of(
            "frequency_penalty", new NoOp("0", UnsupportedParameters::isZero),
            "presence_penalty", new NoOp("0", UnsupportedParameters::isZero),
            "logit_bias", new NoOp("{}", value -> value.isObject() && value.isEmpty()),
            "best_of", new NoOp("1", value -> value.isIntegralNumber() && value.asLong() == 1),
            "echo", new NoOp("false", value -> value.isBoolean() && !value.booleanValue()),
            "suffix",
                    new NoOp(
                            "\"\"",
                            value -> value.isString() && value.asString().isEmpty()),
            "user", new NoOp("a string", JsonNode::isString));

    private UnsupportedParameters() {}

    /** Refuses a field that is neither implemented nor a known parameter at a value that asks for nothing. */
    static void check(RequestFields fields, Set<String> implemented, Map<String, NoOp> known) {
        for (String name : fields.names()) {
            if (implemented.contains(name)) {
                continue;
            }
            NoOp noOp = known.get(name);
            if (noOp == null) {
                throw OpenAiException.unknown(name);
            }
            JsonNode value = fields.get(name);
            if (value != null && !noOp.isNoOp().test(value)) {
                throw OpenAiException.unsupported(
                        name,
                        noOp.accepted() == null
                                ? name + " is not supported by this server"
                                : name + " is not supported by this server; it accepts only " + noOp.accepted()
                                        + ", which asks for nothing");
            }
        }
    }

    private static NoOp nothing() {
        return new NoOp(null, value -> false);
    }

    private static boolean isZero(JsonNode value) {
        return value.isNumber() && value.doubleValue() == 0;
    }

    private static boolean isEmptyArray(JsonNode value) {
        return value.isArray() && value.isEmpty();
    }

    private static boolean isTextFormat(JsonNode value) {
        return value.isObject()
                && value.size() == 1
                && "text".equals(value.path("type").asString(null));
    }

    private static boolean isTextOnly(JsonNode value) {
        return value.isArray()
                && value.size() == 1
                && "text".equals(value.get(0).asString(null));
    }

    private static Predicate<JsonNode> oneOf(String... accepted) {
        Set<String> values = Set.of(accepted);
        return value -> value.isString() && values.contains(value.asString());
    }
}
