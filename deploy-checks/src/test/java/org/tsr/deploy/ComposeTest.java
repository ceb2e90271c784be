package org.tsr.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tsr.deploy.RepositoryFiles.at;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml parses and holds what the platform needs to start in order and stay healthy: every service with
 * a readiness healthcheck on its port, started after the store is healthy, with a memory limit and its secrets from
 * files rather than the compose file; Prometheus and Grafana with the repository's configuration; vLLM only on demand.
 */
class ComposeTest {

    static final Map<String, Integer> SERVICES = Map.of(
            "gateway", 8080,
            "generator-service", 8081,
            "judge-service", 8082,
            "pairing-service", 8083,
            "trainer-service", 8084);
    static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|api_?key|admin_key).*");

    final Map<String, Object> compose = RepositoryFiles.yaml(RepositoryFiles.path("docker-compose.yml"));
    final Map<String, Object> services = at(compose, "services");

    @Test
    void holdsTheStoreTheFiveServicesMonitoringAndAnOptionalVllm() {
        assertThat(services)
                .containsKeys("postgres", "prometheus", "grafana", "vllm")
                .containsKeys(SERVICES.keySet().toArray(String[]::new));
        assertThat((List<String>) at(services, "vllm", "profiles")).containsExactly("vllm");
        services.forEach((name, service) -> {
            if (!name.equals("vllm")) {
                assertThat((Object) at(service, "profiles"))
                        .as(name + " starts by default")
                        .isNull();
            }
        });
    }

    @Test
    void everyServiceIsBuiltFromTheDockerfileAndChecksItsOwnReadiness() {
        SERVICES.forEach((name, port) -> {
            Object service = services.get(name);
            assertThat((String) at(service, "build", "context")).isEqualTo(".");
            assertThat((Object) at(service, "build", "args", "SERVICE")).isEqualTo(name);
            assertThat((Object) at(service, "build", "args", "PORT")).isEqualTo(Integer.toString(port));
            assertThat((List<String>) at(service, "healthcheck", "test"))
                    .containsExactly("CMD", "curl", "-fsS", "http://localhost:" + port + "/actuator/health/readiness");
            assertThat((Object) at(service, "depends_on", "postgres", "condition"))
                    .isEqualTo("service_healthy");
            assertThat((Object) at(service, "environment", "SPRING_DATASOURCE_URL"))
                    .isEqualTo("jdbc:postgresql://postgres:5432/tsr");
        });
        for (String stage : List.of("generator-service", "judge-service", "pairing-service", "trainer-service")) {
            assertThat((Object) at(services, "gateway", "depends_on", stage, "condition"))
                    .isEqualTo("service_healthy");
        }
    }

    @Test
    void theTrainerTrainsEachJobInAProcessOfItsOwnOnTheCheckpointsVolume() {
        Object trainer = services.get("trainer-service");
        assertThat((Object) at(trainer, "environment", "TSR_TRAINER_EXECUTOR")).isEqualTo("process");
        assertThat((Object) at(trainer, "environment", "TSR_TRAINER_CHECKPOINT_DIR"))
                .isEqualTo("/var/lib/tsr/checkpoints");
        assertThat((List<String>) at(trainer, "volumes")).contains("checkpoints:/var/lib/tsr/checkpoints");
    }

    @Test
    void everyContainerHasAMemoryLimitAHealthcheckAndAPinnedImage() {
        services.forEach((name, service) -> {
            assertThat((Object) at(service, "deploy", "resources", "limits", "memory"))
                    .as(name + " memory limit")
                    .isNotNull();
            assertThat((Object) at(service, "healthcheck", "test"))
                    .as(name + " healthcheck")
                    .isNotNull();
            String image = at(service, "image");
            assertThat(image).as(name + " image").isNotNull();
            assertThat(RepositoryFiles.pinned(image)).as(image + " pinned").isTrue();
            Map<String, Object> dependsOn = at(service, "depends_on");
            if (dependsOn != null) {
                dependsOn.forEach((dependency, condition) -> {
                    assertThat(services).containsKey(dependency);
                    assertThat((Object) at(condition, "condition")).isEqualTo("service_healthy");
                });
            }
        });
    }

    @Test
    void secretsComeFromFilesOutsideGitNeverFromTheComposeFile() {
        Map<String, Object> secrets = at(compose, "secrets");
        assertThat(secrets).containsKeys("db_password", "admin_api_key", "grafana_admin_password");
        secrets.forEach((name, secret) ->
                assertThat((String) at(secret, "file")).as(name).startsWith("deploy/secrets/"));
        assertThat(RepositoryFiles.read(RepositoryFiles.path("deploy/secrets/.gitignore"))
                        .lines())
                .as("git ignores every secret file there")
                .contains("*", "!.gitignore", "!generate.sh")
                .allMatch(line -> line.startsWith("#") || line.equals("*") || line.startsWith("!"));
        services.forEach((name, service) -> {
            Map<String, Object> environment = at(service, "environment");
            if (environment != null) {
                environment.forEach((variable, value) -> {
                    if (SECRET_NAME.matcher(variable).matches()) {
                        assertThat(String.valueOf(value))
                                .as(name + " takes " + variable + " from a secret file, not a literal")
                                .startsWith("/run/secrets/");
                    }
                });
            }
            List<Object> used = at(service, "secrets");
            if (used != null) {
                for (Object secret : used) {
                    String source = secret instanceof String plain ? plain : at(secret, "source");
                    assertThat(secrets).as(name + " uses secret " + source).containsKey(source);
                }
            }
        });
        assertThat((Object) at(services, "gateway", "environment", "SPRING_CONFIG_IMPORT"))
                .isEqualTo("optional:configtree:/run/secrets/");
        assertThat((List<Object>) at(services, "gateway", "secrets"))
                .contains(Map.of("source", "db_password", "target", "spring.datasource.password"));
    }

    @Test
    void everyServiceGetsTheServiceCredentialAndSecretsAreReadableByTheContainersUser() {
        for (String name : SERVICES.keySet()) {
            List<Object> secrets = at(services, name, "secrets") != null
                    ? (List<Object>) at(services, name, "secrets")
                    : (List<Object>) at(compose, "x-service", "secrets");
            assertThat(secrets)
                    .as(name)
                    .anySatisfy(secret -> assertThat(secret.toString()).contains("source=service_auth_token"));
        }
        String generate = RepositoryFiles.read(RepositoryFiles.path("deploy/secrets/generate.sh"));
        assertThat(generate)
                .as("compose mounts the files with their host permissions; the services run as uid 10001")
                .contains("service_auth_token")
                .contains("chmod 0644")
                .contains("chmod 0700 .");
    }

    @Test
    void checkpointsAreOneVolumeSharedByTheServicesThatWriteAndLoadModels() {
        for (String name :
                List.of("gateway", "generator-service", "judge-service", "pairing-service", "trainer-service")) {
            assertThat((List<String>) at(services, name, "volumes"))
                    .as(name)
                    .contains("checkpoints:/var/lib/tsr/checkpoints");
        }
        assertThat((Map<String, Object>) at(compose, "volumes")).containsKey("checkpoints");
    }

    @Test
    void prometheusAndGrafanaMountTheRepositorysConfiguration() {
        for (String service : List.of("prometheus", "grafana")) {
            for (String volume : (List<String>) at(services, service, "volumes")) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(RepositoryFiles.path(source.substring(2)))
                            .as(volume)
                            .exists();
                }
            }
        }
        assertThat((List<String>) at(services, "grafana", "volumes"))
                .contains(
                        "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
                        "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
    }
}
