package org.tsr.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tsr.deploy.RepositoryFiles.at;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The scrape configurations reach every service where compose and the standalone platform put it, under the job the
 * dashboards select; Grafana's provisioning finds the dashboards and the datasource they name.
 */
class PrometheusAndGrafanaTest {

    @Test
    void composePrometheusScrapesEveryServiceOnItsPortUnderJobTsr() {
        Map<String, Object> job = onlyJob("deploy/prometheus/prometheus.yml");
        assertThat((Object) at(job, "metrics_path")).isEqualTo("/actuator/prometheus");
        List<String> targets = new ArrayList<>();
        for (Object group : (List<Object>) at(job, "static_configs")) {
            targets.addAll(at(group, "targets"));
            assertThat((Object) at(group, "labels", "service")).isNotNull();
        }
        List<String> expected = new ArrayList<>();
        ComposeTest.SERVICES.forEach((service, port) -> expected.add(service + ":" + port));
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void standalonePrometheusReadsTheTargetsServeWrites() {
        Map<String, Object> job = onlyJob("deploy/prometheus/standalone.yml");
        assertThat((Object) at(job, "metrics_path")).isEqualTo("/actuator/prometheus");
        assertThat((List<Object>) at(job, "file_sd_configs"))
                .singleElement()
                .satisfies(
                        config -> assertThat((List<String>) at(config, "files")).containsExactly("targets/*.json"));
        String check = RepositoryFiles.read(RepositoryFiles.path("deploy/prometheus/check.sh"));
        assertThat(check)
                .contains("./tsr serve")
                .contains("--targets-file=\"$work/targets/standalone.json\"")
                .contains("cp deploy/prometheus/standalone.yml \"$work/prometheus.yml\"");
    }

    @Test
    void grafanaProvisionsTheDatasourceTheDashboardsUseAndLoadsThemFromTheMountedFolder() throws Exception {
        Map<String, Object> datasources =
                RepositoryFiles.yaml(RepositoryFiles.path("deploy/grafana/provisioning/datasources/prometheus.yaml"));
        Object datasource = ((List<Object>) at(datasources, "datasources")).get(0);
        assertThat((Object) at(datasource, "type")).isEqualTo("prometheus");
        assertThat((Object) at(datasource, "url")).isEqualTo("http://prometheus:9090");
        Map<String, Object> providers =
                RepositoryFiles.yaml(RepositoryFiles.path("deploy/grafana/provisioning/dashboards/tsr.yaml"));
        assertThat((Object) at(((List<Object>) at(providers, "providers")).get(0), "options", "path"))
                .isEqualTo("/var/lib/grafana/dashboards");

        JsonMapper json = JsonMapper.builder().build();
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(RepositoryFiles.path("deploy/grafana/dashboards"))) {
            dashboards = files.sorted().toList();
        }
        assertThat(dashboards).hasSize(2);
        for (Path file : dashboards) {
            JsonNode dashboard = json.readTree(file.toFile());
            JsonNode variable = dashboard.path("templating").path("list").get(0);
            assertThat(variable.path("type").asString()).isEqualTo("datasource");
            assertThat(variable.path("current").path("value").asString()).isEqualTo(at(datasource, "uid"));
            List<Integer> ids = new ArrayList<>();
            for (JsonNode panel : dashboard.path("panels")) {
                ids.add(panel.path("id").asInt());
                if (!panel.path("type").asString().equals("row")) {
                    assertThat(panel.path("datasource").path("uid").asString())
                            .as(file.getFileName() + " " + panel.path("title").asString())
                            .isEqualTo("${datasource}");
                    assertThat(panel.path("targets").size()).isPositive();
                }
            }
            assertThat(ids).doesNotHaveDuplicates();
        }
    }

    private static Map<String, Object> onlyJob(String file) {
        List<Object> jobs = at(RepositoryFiles.yaml(RepositoryFiles.path(file)), "scrape_configs");
        assertThat(jobs).hasSize(1);
        Map<String, Object> job = (Map<String, Object>) jobs.get(0);
        assertThat(job.get("job_name")).isEqualTo("tsr");
        return job;
    }
}
