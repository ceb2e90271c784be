package org.tsr.standalone.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tsr.standalone.console.UserError;
import org.tsr.tasks.SuiteExport;
import org.tsr.tasks.SuitePrompt;
import org.tsr.tasks.SuiteSpec;
import org.tsr.tasks.TaskSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the built-in suite as JSON Lines, ready for {@code POST /api/v1/prompt-sets}. */
@Command(
        name = "export-suite",
        mixinStandardHelpOptions = true,
        description = "Write the built-in task suite (IFT, EFT, ITERATION chunks, EVAL) as JSON Lines.")
final class ExportSuiteCommand implements Callable<Integer> {

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed the prompts follow from (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--chunks", defaultValue = "4", description = "Iteration chunks (default: ${DEFAULT-VALUE}).")
    int chunks;

    @Option(
            names = {"-o", "--out"},
            required = true,
            description = "The file to write, e.g. suite.jsonl.")
    Path out;

    @Override
    public Integer call() {
        if (chunks < 1) {
            throw new UserError("--chunks must be at least 1, got " + chunks);
        }
        List<SuitePrompt> suite = TaskSuite.generate(SuiteSpec.standard(seed, chunks));
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, SuiteExport.toJsonLines(suite));
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage(), e);
        }
        System.out.println("Wrote " + suite.size() + " prompts to " + out);
        return 0;
    }
}
