package org.tsr.testkit.fuzz;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * REST fuzzing driven by a service's OpenAPI description: each request is a plausible one for a documented operation
 * with one field, or one path value, made hostile (malformed, out of bounds, oversized, of the wrong type), sent with
 * or without a credential. The property tests that use it choose the operation, field and value; this class builds
 * the request, sends it, counts the answers and reads the store's row counts before and after.
 */
public final class OpenApiFuzzing {

    /** One documented operation: method, path template, and the schema of its JSON body (null when it has none). */
    public record Operation(String method, String path, JsonNode bodySchema) {}

    /** The hostile values a field may get. */
    public static final List<Object> HOSTILE = List.of(
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

    /** The hostile values a path variable may get. */
    public static final List<String> HOSTILE_PATH_VALUES =
            List.of("-1", "0", "9223372036854775807", "9223372036854775808", "abc", "1.5", "99999999", "%20", "%00");

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final List<Operation> operations;
    private final JdbcTemplate jdbc;
    private final List<String> tables;
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private int sent;

    private OpenApiFuzzing(String base, List<Operation> operations, DataSource store, List<String> tables) {
        this.base = base;
        this.operations = operations;
        this.jdbc = new JdbcTemplate(store);
        this.tables = List.copyOf(tables);
    }

    /**
     * Reads the service's description at {@code /v3/api-docs}.
     *
     * @param base the service's URL, {@code http://127.0.0.1:8081}
     * @param credential what fetching the description needs, or null
     * @param tables the tables whose row counts a refused request must leave as they were
     */
    public static OpenApiFuzzing of(String base, String credential, DataSource store, List<String> tables)
            throws Exception {
        HttpResponse<String> description = send(base, "GET", "/v3/api-docs", null, credential);
        if (description.statusCode() != 200) {
            throw new IllegalStateException(base + "/v3/api-docs answered " + description.statusCode());
        }
        return new OpenApiFuzzing(base, operations(json.readTree(description.body())), store, tables);
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The operations of a description, each with its body schema resolved. */
    static List<Operation> operations(JsonNode description) {
        List<Operation> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : description.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                JsonNode schema = operation.getValue().at("/requestBody/content/application~1json/schema");
                found.add(new Operation(
                        operation.getKey().toUpperCase(Locale.ROOT),
                        path.getKey(),
                        schema.isMissingNode() ? null : resolve(description, schema, 0)));
            }
        }
        return found;
    }

    /** The schema with its {@code $ref}s replaced, to a depth that covers the APIs' nesting. */
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
    public static JsonNode plausible(JsonNode schema) {
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

    /**
     * The body of a request to an operation: plausible, with the field picked by {@code field} set to the hostile
     * value picked by {@code value}, and an unknown field added if asked; null for an operation without a JSON body.
     */
    public static String hostileBody(Operation operation, int field, int value, boolean unknownField) {
        if (operation.bodySchema() == null) {
            return null;
        }
        JsonNode request = plausible(operation.bodySchema());
        if (request instanceof ObjectNode object && !object.isEmpty()) {
            List<String> names = new ArrayList<>();
            object.propertyNames().forEach(names::add);
            object.set(names.get(field % names.size()), hostile(HOSTILE.get(value % HOSTILE.size())));
            if (unknownField) {
                object.put("unexpectedField", 1);
            }
        }
        return json.writeValueAsString(request);
    }

    /** The operation's path with every path variable set to the hostile value picked by {@code pathValue}. */
    public static String hostilePath(Operation operation, int pathValue) {
        return operation
                .path()
                .replaceAll("\\{[^}]+}", HOSTILE_PATH_VALUES.get(pathValue % HOSTILE_PATH_VALUES.size()));
    }

    private static JsonNode hostile(Object value) {
        return "NULL".equals(value)
                ? json.getNodeFactory().nullNode()
                : value instanceof List<?> list && list.contains("NULL")
                        ? json.createArrayNode().addNull()
                        : json.valueToTree(value);
    }

    /** Sends a request and counts its answer. */
    public HttpResponse<String> send(String method, String path, String body, String credential) throws Exception {
        HttpResponse<String> response = send(base, method, path, body, credential);
        synchronized (statuses) {
            sent++;
            statuses.merge(response.statusCode(), 1, Integer::sum);
        }
        return response;
    }

    private static HttpResponse<String> send(String base, String method, String path, String body, String credential)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The row count of each table. */
    public Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : tables) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
        }
        return counts;
    }

    /** Requests sent, and how many answered 5xx, with the count per status. */
    public String summary() {
        synchronized (statuses) {
            long serverErrors = statuses.entrySet().stream()
                    .filter(entry -> entry.getKey() >= 500)
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            return String.format(
                    Locale.ROOT,
                    "%d operations, %d requests, %d answered 5xx; by status %s",
                    operations.size(),
                    sent,
                    serverErrors,
                    statuses);
        }
    }

    /** A response body cut to a length that fits an assertion message. */
    public static String abbreviate(String text) {
        return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
