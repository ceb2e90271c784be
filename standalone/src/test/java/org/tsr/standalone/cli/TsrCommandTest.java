package org.tsr.standalone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.standalone.experiment.ModelSize;
import org.tsr.standalone.judgestudy.JudgeStudySettings;

/** Every mistake a user can make on the command line ends in one line on stderr and a non-zero exit code. */
class TsrCommandTest {

    @TempDir
    Path work;

    record Outcome(int code, String out, String err) {}

    static Outcome tsr(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = TsrCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void helpExplainsTheDemoOptions() {
        Outcome help = tsr("demo", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--sr-iterations", "--tsr-iterations", "--seeds", "--model", "--out");
    }

    @Test
    void anUnknownOptionIsNamed() {
        Outcome outcome = tsr("demo", "--iterations", "3");
        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo("tsr: Unknown options: '--iterations', '3' (see: tsr demo --help)");
    }

    @Test
    void aBadValueIsExplained() {
        assertThat(tsr("demo", "--model", "huge").err().strip())
                .isEqualTo("tsr: --model must be tiny, small or medium, got 'huge'");
        Outcome samples = tsr("demo", "--samples", "1");
        assertThat(samples.code()).isEqualTo(1);
        assertThat(samples.err().strip())
                .isEqualTo("tsr: --samples must be between 2 and 16 (pairs need two responses)");
        assertThat(tsr("demo", "--seeds", "x").err()).contains("Invalid value for option '--seeds'");
        assertThat(tsr("demo", "--judges", "noisy:1.5").err().strip())
                .isEqualTo("tsr: --judges: noisy:<p> needs an accuracy p between 0 and 1, got 'noisy:1.5'");
        assertThat(tsr("demo", "--judges", "oracle,expert").err().strip())
                .isEqualTo("tsr: --judges takes self, frozen, oracle, noisy:<p>, self:expected and frozen:expected,"
                        + " got 'expert'");
        assertThat(tsr("demo", "--preset", "huge").err().strip())
                .isEqualTo("tsr: --preset must be quick or full, got 'huge'");
        assertThat(tsr("demo", "--judge-samples", "0").err().strip())
                .isEqualTo("tsr: --judge-samples must be between 1 and 16");
        assertThat(tsr("demo", "--trainer", "slurm").err().strip())
                .isEqualTo("tsr: --trainer must be embedded or process, got 'slurm'");
        assertThat(tsr("demo", "--trainer", "kubeflow").err().strip())
                .isEqualTo("tsr: --trainer kubeflow needs a Kubernetes cluster; the demo trains on this machine"
                        + " (embedded or process). See docs/deployment.md to run on a cluster.");
    }

    @Test
    void aPortInUseIsNamedWithTheServiceThatNeedsIt() throws Exception {
        int base = FreePorts.base();
        try (ServerSocket taken = new ServerSocket(base + 2)) {
            Outcome outcome = tsr("demo", "--port", Integer.toString(base), "-o", work.toString());
            assertThat(outcome.code()).isEqualTo(1);
            assertThat(outcome.err().strip())
                    .isEqualTo("tsr: port " + (base + 2) + " (for the judge-service) is in use; stop what listens there"
                            + " or pick other ports with --port");
        }
    }

    @Test
    void serveNamesWhatItCannotUse() throws Exception {
        assertThat(tsr("serve", "--port", "65535").err().strip())
                .isEqualTo("tsr: --port must leave room for four more ports below 65536");
        assertThat(tsr("serve", "--set", "novalue").err()).contains("tsr:").contains("--set");
        int base = FreePorts.base();
        try (ServerSocket taken = new ServerSocket(base + 4)) {
            Outcome outcome = tsr(
                    "serve",
                    "--port",
                    Integer.toString(base),
                    "--data",
                    work.resolve("data").toString());
            assertThat(outcome.code()).isEqualTo(1);
            assertThat(outcome.err().strip())
                    .isEqualTo("tsr: port " + (base + 4) + " (for the trainer-service) is in use; stop what listens"
                            + " there or pick other ports with --port");
        }
        assertThat(tsr("serve", "--help").out()).contains("--data", "--port", "--db-url", "--set", "admin key");
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsNamed() throws Exception {
        Path file = Files.writeString(work.resolve("a-file"), "x");
        Outcome outcome =
                tsr("demo", "-o", file.resolve("report").toString(), "--port", Integer.toString(FreePorts.base()));
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.err()).startsWith("tsr: cannot write to the output folder " + file.resolve("report"));
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void anUnreachableDatabaseIsNamed() {
        Outcome outcome = tsr(
                "demo",
                "-o",
                work.toString(),
                "--port",
                Integer.toString(FreePorts.base()),
                "--db-url",
                "jdbc:postgresql://127.0.0.1:9/nowhere");
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.err())
                .startsWith("tsr: cannot reach the database at jdbc:postgresql://127.0.0.1:9/nowhere:");
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void helpExplainsTheJudgeStudyOptions() {
        Outcome help = tsr("judge-study", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--sizes", "--budgets", "--recipes", "--families", "--seed", "--out", "--port");
        assertThat(tsr("--help").out()).contains("judge-study");
    }

    @Test
    void aBadJudgeStudyValueIsExplained() {
        assertThat(tsr("judge-study", "--sizes", "tiny,huge").err().strip())
                .isEqualTo("tsr: --sizes takes tiny, small, medium, got 'huge'");
        assertThat(tsr("judge-study", "--budgets", "50,0").err().strip())
                .isEqualTo("tsr: --budgets must each be between 1 and 2000, got 0");
        assertThat(tsr("judge-study", "--recipes", "magic").err().strip())
                .isEqualTo("tsr: --recipes takes suite, own, got 'magic'");
        assertThat(tsr("judge-study", "--families", "sort,spell").err().strip())
                .isEqualTo("tsr: --families takes sort, reverse, add, count, got 'spell'");
        Outcome samples = tsr("judge-study", "--samples", "1");
        assertThat(samples.code()).isEqualTo(1);
        assertThat(samples.err().strip())
                .isEqualTo("tsr: --samples must be between 2 and 16 (pairs need two responses)");
        Outcome budgets = tsr("judge-study", "--budgets", "fifty");
        assertThat(budgets.code()).isEqualTo(2);
        assertThat(budgets.err()).contains("Invalid value for option '--budgets'");
    }

    @Test
    void theJudgeStudyGridIsEverySizeWithEveryBudget() {
        JudgeStudyCommand command = new JudgeStudyCommand();
        new picocli.CommandLine(command).parseArgs("--sizes", "small,tiny,small", "--budgets", "50,150", "--seed", "7");
        JudgeStudySettings settings = command.settings();
        assertThat(settings.sizes()).containsExactly(ModelSize.SMALL, ModelSize.TINY);
        assertThat(settings.eftBudgets()).containsExactly(50, 150);
        assertThat(settings.recipes()).containsExactly(JudgeStudySettings.Recipe.SUITE);
        assertThat(settings.families()).containsExactly("sort", "reverse", "add", "count");
        assertThat(settings.points()).isEqualTo(4);
        assertThat(settings.seed()).isEqualTo(7);
    }

    @Test
    void aJudgeStudyFolderWithOtherSettingsIsNotMixedIn() throws Exception {
        Files.writeString(work.resolve("study.json"), "{\"settings\":\"families [sort]\",\"points\":[]}");
        Outcome outcome = tsr("judge-study", "-o", work.toString(), "--port", Integer.toString(FreePorts.base()));
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.err())
                .startsWith("tsr: the output folder holds a study with other settings (families [sort]); use another"
                        + " --out");
        assertThat(outcome.err().strip().lines()).hasSize(1);
    }

    @Test
    void theSuiteExportsAsPromptSetLines() throws Exception {
        Path file = work.resolve("suite.jsonl");
        Outcome outcome = tsr("export-suite", "--seed", "3", "--chunks", "2", "-o", file.toString());
        assertThat(outcome.code()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4 * (150 + 150 + 2 * 32 + 32));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"split\":\"EVAL\""));
    }
}
