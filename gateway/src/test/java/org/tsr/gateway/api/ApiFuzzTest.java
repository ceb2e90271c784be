package org.tsr.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tsr.gateway.GatewayApplication;
import org.tsr.testkit.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * REST fuzzing driven by the gateway's own OpenAPI description: every operation is sent bodies and path values that
 * are malformed, out of bounds, oversized or of the wrong type, one mutation of a plausible request at a time, with
 * and without a key. No answer may be a 5xx, and a refused request (4xx) must leave the store's rows as they were.
 */
class ApiFuzzTest {

    static final String ADMIN = "tsr_fuzz-test-admin-key-0123456789";
    static final List<String> TABLES =
            List.of("run", "iteration", "prompt_set", "prompt", "model_generation", "api_key", "work_unit");

    static ConfigurableApplicationContext gateway;
    static JdbcTemplate jdbc;
    static String base;
    static List<Operation> operations;
    static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final JsonMapper json = JsonMapper.builder().build();
    static int sent;
    static int fiveHundreds;
    static final Map<Integer, Integer> statuses = new java.util.TreeMap<>();

    /** One documented operation: method, path template, and the schema of its JSON body (null when it has none). */
    record Operation(String method, String path, JsonNode bodySchema) {}

    @BeforeContainer
    static void startGateway() throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        gateway = new SpringApplicationBuilder(GatewayApplication.class)
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--spring.datasource.url=" + db.url(),
                        "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + db.password(),
                        "--tsr.orchestration.conduct=false",
                        "--tsr.access.bootstrap-admin-key=" + ADMIN,
                        "--tsr.service-auth.token=fuzz-service-credential-0123456789",
                        "--tsr.uploads.max-size=256KB",
                        "--spring.main.banner-mode=off");
        jdbc = gateway.getBean(JdbcTemplate.class);
        base = "http://127.0.0.1" + ":" + gateway.getEnvironment().getRequiredProperty("local.server.port");
        JsonNode description =
                json.readTree(send("GET", "/v3/api-docs", null, null).body());
        operations = operations(description);
    }

    @AfterContainer
    static void stopGateway() {
        System.out.printf(
                "ApiFuzzTest: %d operations, %d requests, %d answered 5xx; by status %s%n",
                operations.size(), sent, fiveHundreds, statuses);
        if (gateway != null) {
            gateway.close();
        }
    }

    static List<Operation> operations(JsonNode description) {
        List<Operation> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : description.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode schema = operation.getValue().at("/requestBody/content/application~1json/schema");
                found.add(new Operation(
                        operation.getKey().toUpperCase(java.util.Locale.ROOT),
                        path.getKey(),
                        schema.isMissingNode() ? null : resolve(description, schema)));
            }
        }
        assertThat(found)
                .as("the API description lists the gateway's operations")
                .hasSizeGreaterThan(10);
        return found;
    }

    /** The schema with its {@code $ref}s replaced, to a depth that covers the API's nesting. */
    static JsonNode resolve(JsonNode description, JsonNode schema) {
        return resolve(description, schema, 0);
    }

    private static JsonNode resolve(JsonNode description, JsonNode schema, int depth) {
        if (depth > 6) {
            return json.createObjectNode();
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asString().replace("#/components/schemas/", "");
            return resolve(description, description.at("/components/schemas/" + name), depth + 1);
        }
        ObjectNode copy = (ObjectNode) schema.deepCopy();
        if (schema.has("properties")) {
            ObjectNode properties = json.createObjectNode();
            for (Map.Entry<String, JsonNode> property : schema.get("properties").properties()) {
                properties.set(property.getKey(), resolve(description, property.getValue(), depth + 1));
            }
            copy.set("properties", properties);
        }
        if (schema.has("items")) {
            copy.set("items", resolve(description, schema.get("items"), depth + 1));
        }
        return copy;
    }

    /** A plausible value for a schema: every property filled, so that one mutation is what the server sees wrong. */
    static JsonNode plausible(JsonNode schema) {
        String type = schema.path("type").asString("object");
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        return switch (type) {
            case "integer" -> json.getNodeFactory().numberNode(1);
            case "number" -> json.getNodeFactory().numberNode(0.5);
            case "boolean" -> json.getNodeFactory().booleanNode(true);
            case "string" -> json.getNodeFactory().stringNode("x");
            case "array" -> {
                ArrayNode array = json.createArrayNode();
                array.add(plausible(schema.path("items")));
                yield array;
            }
            default -> {
                ObjectNode object = json.createObjectNode();
                Iterator<Map.Entry<String, JsonNode>> properties =
                        schema.path("properties").properties().iterator();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    object.set(property.getKey(), plausible(property.getValue()));
                }
                yield object;
            }
        };
    }

    /** The hostile values a field may get. */
    static final List<Object> HOSTILE = List.of(
            "NULL",
            -1,
            0,
            2_147_483_647,
            Long.MAX_VALUE,
            -9.9e307,
            1.0e308,
            "",
            "lots",
            "a\u0000b",
            "\ud800",
            "x".repeat(100_000),
            "UNKNOWN_ENUM",
            List.of(),
            List.of("NULL"),
            Map.of("nested", Map.of("deeper", List.of(1, 2, 3))),
            true);

    static final List<String> HOSTILE_PATH_VALUES =
            List.of("-1", "0", "9223372036854775807", "9223372036854775808", "abc", "1.5", "99999999", "%20", "%00");

    @Provide
    Arbitrary<Integer> operationIndex() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Property(tries = 3000, seed = "20261204")
    void noRequestIsAnswered5xxAndRefusedOnesChangeNothing(
            @ForAll("operationIndex") int which,
            @ForAll("operationIndex") int field,
            @ForAll("operationIndex") int value,
            @ForAll("operationIndex") int pathValue,
            @ForAll boolean withKey,
            @ForAll boolean unknownField)
            throws Exception {
        Operation operation = operations.get(which % operations.size());
        if (operation.method().equals("DELETE") && operation.path().contains("api-keys")) {
            return; // the fuzzer's own key must survive; key revocation has its own tests
        }
        String path = operation.path().replaceAll("\\{[^}]+}", HOSTILE_PATH_VALUES.get(pathValue % 9));
        String body = null;
        if (operation.bodySchema() != null) {
            JsonNode request = plausible(operation.bodySchema());
            if (request instanceof ObjectNode object && !object.isEmpty()) {
                List<String> names = new ArrayList<>();
                object.propertyNames().forEach(names::add);
                String name = names.get(field % names.size());
                object.set(name, hostile(HOSTILE.get(value % HOSTILE.size())));
                if (unknownField) {
                    object.put("unexpectedField", 1);
                }
            }
            body = json.writeValueAsString(request);
        } else if (operation.path().startsWith("/api/v1/prompt-sets")) {
            path += "?name=" + HOSTILE_PATH_VALUES.get(value % 9);
            body = value % 2 == 0 ? "{\"prompt\": \"a\\u0000\"}\n" : "not json\n";
        }

        Map<String, Long> before = rowCounts();
        HttpResponse<String> response = send(operation.method(), path, body, withKey ? ADMIN : null);
        sent++;
        statuses.merge(response.statusCode(), 1, Integer::sum);
        if (response.statusCode() >= 500) {
            fiveHundreds++;
        }

        assertThat(response.statusCode())
                .as(operation.method() + " " + path + " " + abbreviate(body) + " -> " + abbreviate(response.body()))
                .isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(rowCounts())
                    .as("refused " + operation.method() + " " + path + " changed nothing")
                    .isEqualTo(before);
        }
    }

    static JsonNode hostile(Object value) {
        return "NULL".equals(value)
                ? json.getNodeFactory().nullNode()
                : value instanceof List<?> list && list.contains("NULL")
                        ? json.createArrayNode().addNull()
                        : json.valueToTree(value);
    }

    static Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
        }
        return counts;
    }

    static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
