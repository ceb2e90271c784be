package org.tsr.generator.openai;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.tsr.edge.StrictJson;
import tools.jackson.databind.JsonNode;

/**
 * A request body's fields by name, read with OpenAI's types and ranges. A field sent as JSON null counts as absent, as
 * OpenAI treats it; every refusal names the field.
 */
final class RequestFields {

    private final JsonNode body;

    private RequestFields(JsonNode body) {
        this.body = body;
    }

    static RequestFields of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalid(null, "the request body must be a JSON object");
        }
        return new RequestFields(body);
    }

    Collection<String> names() {
        return body.propertyNames();
    }

    /** The field's value; null when it is absent or null. */
    JsonNode get(String name) {
        return present(body.get(name));
    }

    boolean has(String name) {
        return get(name) != null;
    }

    Integer integer(String name, int min, int max) {
        return integer(get(name), name, min, max);
    }

    Long whole(String name) {
        JsonNode value = get(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw OpenAiException.invalid(name, name + " must be an integer");
        }
        return value.longValue();
    }

    Double number(String name, double min, double max) {
        JsonNode value = get(name);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw OpenAiException.invalid(name, name + " must be a number");
        }
        double number = value.doubleValue();
        if (!(number >= min && number <= max)) {
            throw OpenAiException.invalid(name, name + " must be " + min + " to " + max + ", got " + number);
        }
        return number;
    }

    boolean flag(String name) {
        return flag(get(name), name);
    }

    String text(String name) {
        JsonNode value = get(name);
        return value == null ? null : text(value, name);
    }

    /** A string or an array of at most {@code most} strings. */
    List<String> texts(String name, int most) {
        JsonNode value = get(name);
        List<String> values = new ArrayList<>();
        if (value == null) {
            return values;
        }
        if (value.isString()) {
            values.add(text(value, name));
            return values;
        }
        if (!value.isArray()) {
            throw OpenAiException.invalid(name, name + " must be a string or an array of strings");
        }
        if (value.size() > most) {
            throw OpenAiException.invalid(name, name + " holds at most " + most + " strings, got " + value.size());
        }
        for (int i = 0; i < value.size(); i++) {
            values.add(text(value.get(i), name + "[" + i + "]"));
        }
        return values;
    }

    static JsonNode present(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }

    static Integer integer(JsonNode value, String name, int min, int max) {
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw OpenAiException.invalid(name, name + " must be an integer");
        }
        int number = value.intValue();
        if (number < min || number > max) {
            throw OpenAiException.invalid(name, name + " must be " + min + " to " + max + ", got " + number);
        }
        return number;
    }

    static boolean flag(JsonNode value, String name) {
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw OpenAiException.invalid(name, name + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A string, refused where it would break the tokenizer or the text encodings. */
    static String text(JsonNode value, String name) {
        if (!value.isString()) {
            throw OpenAiException.invalid(name, name + " must be a string");
        }
        String text = value.asString();
        String problem = StrictJson.problemIn(text);
        if (problem != null) {
            throw OpenAiException.invalid(name, name + " " + problem);
        }
        return text;
    }
}
