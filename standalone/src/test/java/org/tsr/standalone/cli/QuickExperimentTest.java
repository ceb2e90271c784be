package org.tsr.standalone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.testkit.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code tsr demo --quick} end to end: M0 bootstrapped on the suite, one SR and one TSR iteration through the
 * gateway, every generation evaluated, and a report whose numbers are all there and in range; every training job in
 * a child process of its own (the process executor).
 */
class QuickExperimentTest {

    @TempDir
    Path out;

    @Test
    void theQuickExperimentWritesASaneReport() throws Exception {
        TestDatabase.Connection db = TestDatabase.connection();
        TsrCommandTest.Outcome outcome = TsrCommandTest.tsr(
                "demo",
                "--quick",
                "--judges",
                "self,oracle,noisy:0.5",
                "--trainer",
                "process",
                "-o",
                out.toString(),
                "--port",
                Integer.toString(FreePorts.base()),
                "--db-url",
                db.url(),
                "--db-user",
                db.user(),
                "--db-password",
                db.password());

        assertThat(outcome.code()).as(outcome.err()).isZero();
        String report = Files.readString(out.resolve("report.md"));
        assertThat(report).contains("## Verdict", "TSR", "SR", "![win-rate](charts/win-rate.png)");
        // every training ran as a child process of the platform, and the report says so
        assertThat(report).contains("Training executor: process.");
        assertThat(JsonMapper.builder()
                        .build()
                        .readTree(out.resolve("summary.json").toFile())
                        .get("trainer_executor")
                        .asString())
                .isEqualTo("process");
        for (String chart :
                new String[] {"win-rate", "score-gap", "hidden-similarity", "dpo-margin", "judge-agreement"}) {
            byte[] png = Files.readAllBytes(out.resolve("charts").resolve(chart + ".png"));
            assertThat(png).as(chart).hasSizeGreaterThan(1000);
            assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("PNG");
        }
        JsonMapper json = JsonMapper.builder().build();
        for (String method : new String[] {"SR", "TSR"}) {
            JsonNode run = json.readTree(
                    out.resolve("reports").resolve(method + "-seed-1.json").toFile());
            assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
            JsonNode initial = run.get("initialEvaluation");
            assertThat(initial.get("prompts").asInt()).isEqualTo(24);
            assertThat(initial.get("winRateVsM0").asDouble()).isEqualTo(0.5);
            JsonNode iteration = run.get("iterations").get(0);
            JsonNode evaluation = iteration.get("evaluation");
            assertThat(evaluation.get("meanOracleScore").asDouble()).isBetween(1.0, 5.0);
            assertThat(evaluation.get("winRateVsM0").asDouble()).isBetween(0.0, 1.0);
            assertThat(evaluation.get("exactMatch").asDouble()).isBetween(0.0, 1.0);
            assertThat(evaluation.get("families").propertyNames())
                    .containsExactlyInAnyOrder("add", "count", "reverse", "sort");
            JsonNode judge = iteration.get("judge");
            assertThat(judge.get("pairs").asLong()).isPositive();
            assertThat(judge.get("agreement").asDouble()).isBetween(0.0, 1.0);
            assertThat(iteration.get("training")).isNotEmpty();
            assertThat(iteration
                            .get("phases")
                            .get("EVALUATING")
                            .get("wallSeconds")
                            .asDouble())
                    .isPositive();
        }
        for (String method : new String[] {"SR", "TSR"}) {
            JsonNode run = json.readTree(out.resolve("reports")
                    .resolve(method + "-oracle-judge-seed-1.json")
                    .toFile());
            assertThat(run.get("status").asString()).isEqualTo("SUCCEEDED");
            JsonNode judge = run.get("iterations").get(0).get("judge");
            assertThat(judge.get("role").asString()).isEqualTo("oracle");
            assertThat(judge.get("agreement").asDouble())
                    .as("the oracle agrees with itself")
                    .isEqualTo(1.0);
        }
        assertThat(report).contains("With the oracle judge:", "With the noisy:0.5 judge:");
        JsonNode summary = json.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("m0").get("exact_rate").asDouble()).isBetween(0.0, 1.0);
        assertThat(summary.get("m0").get("per_seed")).hasSize(1);
        assertThat(summary.get("runs")).hasSize(6);
        assertThat(summary.get("groups")).hasSize(6);
        for (JsonNode run : summary.get("runs")) {
            assertThat(run.get("method").asString()).isIn("SR", "TSR");
            assertThat(run.get("judge").asString()).isIn("self", "oracle", "noisy:0.5");
            assertThat(run.get("final_win_rate").asDouble()).isBetween(0.0, 1.0);
            assertThat(run.get("ci95").get(0).asDouble())
                    .isLessThanOrEqualTo(run.get("final_win_rate").asDouble());
            assertThat(run.get("judge_accuracy_per_iteration")).hasSize(1);
            assertThat(run.get("gap_per_iteration")).hasSize(1);
            assertThat(run.get("oracle_gap_per_iteration")).hasSize(1);
            assertThat(run.get("dpo_steps").asInt()).isPositive();
            assertThat(run.get("tokens_sampled").asLong()).isPositive();
            assertThat(run.get("seconds").asDouble()).isPositive();
            switch (run.get("judge").asString()) {
                case "oracle" ->
                    assertThat(run.get("judge_accuracy").asDouble()).isEqualTo(1.0);
                case "noisy:0.5" ->
                    assertThat(run.get("judge_accuracy").asDouble())
                            .as("a judge right half the time per sample orders fewer pairs right than the oracle")
                            .isLessThan(1.0);
                default ->
                    assertThat(run.get("tokens_judged").asLong())
                            .as("the self-judge is a model that reads and writes tokens")
                            .isPositive();
            }
        }
        assertThat(outcome.out()).contains("Seed 1:", "win vs M0", "Report: " + out.resolve("report.md"));
    }
}
