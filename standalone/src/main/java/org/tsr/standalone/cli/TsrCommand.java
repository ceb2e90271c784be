package org.tsr.standalone.cli;

import java.io.PrintWriter;
import org.tsr.standalone.console.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tsr} command line: {@code tsr demo} runs the default experiment, {@code tsr serve} starts the platform
 * with authentication on, {@code tsr judge-study} measures the
 * self-judge per model size and EFT budget, {@code tsr export-suite} writes the suite.
 */
@Command(
        name = "tsr",
        mixinStandardHelpOptions = true,
        version = "tsr 0.1.0",
        description = "Temporal Self-Rewarding platform: runs SR and TSR experiments on the built-in task suite.",
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            JudgeStudyCommand.class,
            ExportSuiteCommand.class,
            CommandLine.HelpCommand.class
        })
public final class TsrCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; every failure a user can cause ends in one line on stderr and a non-zero code. */
    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new TsrCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            problem.getCommandLine()
                    .getErr()
                    .println("tsr: " + problem.getMessage() + " (see: tsr "
                            + problem.getCommandLine()
                                    .getCommandName()
                                    .replace("tsr", "")
                                    .trim() + " --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((problem, line, parsed) -> {
            if (problem instanceof UserError) {
                err.println("tsr: " + problem.getMessage());
            } else {
                err.println("tsr: failed: " + problem);
            }
            err.flush();
            return 1;
        });
        return commandLine.execute(args);
    }
}
