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
                .isEqualTo("tsr: --model must be tiny or small, got 'huge'");
        Outcome samples = tsr("demo", "--samples", "1");
        assertThat(samples.code()).isEqualTo(1);
        assertThat(samples.err().strip())
                .isEqualTo("tsr: --samples must be between 2 and 16 (pairs need two responses)");
        assertThat(tsr("demo", "--seeds", "x").err()).contains("Invalid value for option '--seeds'");
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
    void theSuiteExportsAsPromptSetLines() throws Exception {
        Path file = work.resolve("suite.jsonl");
        Outcome outcome = tsr("export-suite", "--seed", "3", "--chunks", "2", "-o", file.toString());
        assertThat(outcome.code()).isZero();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4 * (150 + 150 + 2 * 32 + 32));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"split\":\"EVAL\""));
    }
}
