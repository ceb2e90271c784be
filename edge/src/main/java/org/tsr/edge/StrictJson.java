package org.tsr.edge;

import com.fasterxml.jackson.annotation.Nulls;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * How every service reads a request body: a field it does not know, a {@code null} inside a list or map, a {@code
 * null} for a number that must be present, and a string with a NUL character or an unpaired surrogate are refused
 * (400 naming the field, see {@code FieldProblemsAdvice}) instead of being dropped, defaulted or failing in the store.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJson {

    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .changeDefaultNullHandling(handling -> handling.withContentNulls(Nulls.FAIL))
                .addModule(new SimpleModule("strict-strings").addDeserializer(String.class, new CleanStrings()));
    }

    /** Where a string breaks the store or the text encodings: a NUL character or half of a surrogate pair. */
    public static String problemIn(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return "contains a NUL character at position " + i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate at position " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate at position " + i;
            }
        }
        return null;
    }

    /** Strings as Jackson reads them, refused when {@link #problemIn} finds something. */
    static final class CleanStrings extends StdScalarDeserializer<String> {

        CleanStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            String value = StringDeserializer.instance.deserialize(parser, context);
            String problem = value == null ? null : problemIn(value);
            if (problem != null) {
                return (String) context.handleWeirdStringValue(String.class, value, problem);
            }
            return value;
        }
    }
}
