package org.tsr.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.tsr.gateway.GatewayApplication;
import org.tsr.testkit.TestDatabase;
import org.tsr.testkit.fuzz.OpenApiFuzzing;
import org.tsr.testkit.fuzz.OpenApiFuzzing.Operation;

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
    static OpenApiFuzzing fuzzing;

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
        String base = "http://127.0.0.1:" + gateway.getEnvironment().getRequiredProperty("local.server.port");
        fuzzing = OpenApiFuzzing.of(base, null, gateway.getBean(DataSource.class), TABLES);
        assertThat(fuzzing.operations())
                .as("the API description lists the gateway's operations")
                .hasSizeGreaterThan(10);
    }

    @AfterContainer
    static void stopGateway() {
        System.out.println("ApiFuzzTest: " + fuzzing.summary());
        if (gateway != null) {
            gateway.close();
        }
    }

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
        Operation operation =
                fuzzing.operations().get(which % fuzzing.operations().size());
        if (operation.method().equals("DELETE") && operation.path().contains("api-keys")) {
            return; // the fuzzer's own key must survive; key revocation has its own tests
        }
        String path = OpenApiFuzzing.hostilePath(operation, pathValue);
        String body = OpenApiFuzzing.hostileBody(operation, field, value, unknownField);
        if (body == null && operation.path().startsWith("/api/v1/prompt-sets")) {
            path += "?name=" + OpenApiFuzzing.HOSTILE_PATH_VALUES.get(value % 9);
            body = value % 2 == 0 ? "{\"prompt\": \"a\\u0000\"}\n" : "not json\n";
        }

        Map<String, Long> before = fuzzing.rowCounts();
        HttpResponse<String> response = fuzzing.send(operation.method(), path, body, withKey ? ADMIN : null);

        assertThat(response.statusCode())
                .as(operation.method() + " " + path + " " + OpenApiFuzzing.abbreviate(body) + " -> "
                        + OpenApiFuzzing.abbreviate(response.body()))
                .isLessThan(500);
        if (response.statusCode() >= 400) {
            assertThat(fuzzing.rowCounts())
                    .as("refused " + operation.method() + " " + path + " changed nothing")
                    .isEqualTo(before);
        }
    }
}
