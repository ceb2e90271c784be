package org.tsr.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.EnumMap;
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
import org.tsr.standalone.Platform.Service;
import org.tsr.testkit.TestDatabase;
import org.tsr.testkit.fuzz.OpenApiFuzzing;
import org.tsr.testkit.fuzz.OpenApiFuzzing.Operation;

/**
 * REST fuzzing of the stage services' own APIs, driven by each service's OpenAPI description, as the gateway's API is
 * fuzzed by its own test: hostile values in every field and path variable, with the service credential and without.
 * No answer may be a 5xx, a request without the credential must be refused with 401, and a refused request must leave
 * the store's rows as they were. The pairing service has no API of its own beyond health and metrics.
 */
class ServiceApiFuzzTest {

    static final List<Service> FUZZED = List.of(Service.GENERATOR, Service.JUDGE, Service.TRAINER);
    static final List<String> TABLES =
            List.of("model_generation", "response", "judgment", "preference_pair", "training_job", "work_unit");

    static Platform platform;
    static final Map<Service, OpenApiFuzzing> fuzzing = new EnumMap<>(Service.class);

    @BeforeContainer
    static void startServices() throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        // no workers: a request that passes is answered by the REST API alone and queues nothing that would run
        platform = Platform.start(
                db.url(),
                db.user(),
                db.password(),
                Map.of(
                        "tsr.orchestration.conduct", "false",
                        "tsr.generator.worker-threads", "0",
                        "tsr.judge.worker-threads", "0",
                        "tsr.pairing.worker-threads", "0",
                        "tsr.trainer.worker-threads", "0"));
        DataSource store = platform.bean(Service.GATEWAY, DataSource.class);
        for (Service service : FUZZED) {
            String base = "http://127.0.0.1:" + platform.port(service);
            fuzzing.put(service, OpenApiFuzzing.of(base, platform.serviceToken(), store, TABLES));
            assertThat(fuzzing.get(service).operations())
                    .as(service + " describes its API")
                    .isNotEmpty();
        }
    }

    @AfterContainer
    static void stopServices() {
        fuzzing.forEach((service, fuzz) -> System.out.println("ServiceApiFuzzTest " + service + ": " + fuzz.summary()));
        if (platform != null) {
            platform.close();
        }
    }

    @Provide
    Arbitrary<Integer> index() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Property(tries = 1500, seed = "20261205")
    void noServiceAnswers5xxAndWithoutTheCredentialNothingIsServed(
            @ForAll("index") int service,
            @ForAll("index") int which,
            @ForAll("index") int field,
            @ForAll("index") int value,
            @ForAll("index") int pathValue,
            @ForAll boolean withCredential,
            @ForAll boolean unknownField)
            throws Exception {
        OpenApiFuzzing fuzz = fuzzing.get(FUZZED.get(service % FUZZED.size()));
        Operation operation = fuzz.operations().get(which % fuzz.operations().size());
        String path = OpenApiFuzzing.hostilePath(operation, pathValue);
        String body = OpenApiFuzzing.hostileBody(operation, field, value, unknownField);

        Map<String, Long> before = fuzz.rowCounts();
        HttpResponse<String> response =
                fuzz.send(operation.method(), path, body, withCredential ? platform.serviceToken() : null);

        String request = operation.method() + " " + path + " " + OpenApiFuzzing.abbreviate(body) + " -> "
                + OpenApiFuzzing.abbreviate(response.body());
        assertThat(response.statusCode()).as(request).isLessThan(500);
        if (!withCredential) {
            assertThat(response.statusCode()).as(request).isIn(400, 401);
        }
        if (response.statusCode() >= 400) {
            assertThat(fuzz.rowCounts())
                    .as("refused " + request + " changed nothing")
                    .isEqualTo(before);
        }
    }
}
