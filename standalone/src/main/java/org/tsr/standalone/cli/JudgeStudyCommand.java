package org.tsr.standalone.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tsr.standalone.console.UserError;
import org.tsr.standalone.experiment.ModelSize;
import org.tsr.standalone.judgestudy.JudgeStudy;
import org.tsr.standalone.judgestudy.JudgeStudySettings;
import org.tsr.tasks.Oracle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsr judge-study}: how well M0 judges its own samples, per model size and EFT budget. */
@Command(
        name = "judge-study",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measure, through the platform's own REST API, how often the self-judge orders pairs of its own samples"
                    + " the way the oracle does, for each model size and EFT budget: per grid point, fine-tune a"
                    + " fresh base model into M0 on the suite's IFT and EFT examples, sample K responses per"
                    + " held-out prompt from M0 (temperature 1.0), judge each with M0 in the suite's compact"
                    + " template, grade each with the oracle, and count the pairs ordered alike, per task family.",
            "Writes report.md (the table), judge-agreement.png (agreement against EFT budget, one line per size),"
                    + " study.json (the points) and every judged sample per point to the output folder. The grid is"
                    + " measured budget by budget, every size at each. Points already in the folder's study.json with"
                    + " the same settings are kept and not measured again, so a stopped study goes on where it"
                    + " stopped and a later invocation can add sizes or budgets."
        })
final class JudgeStudyCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-o", "--out"},
            defaultValue = "tsr-judge-study",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "tiny,small",
            description = "Built-in model sizes: tiny (~1M parameters), small (~5M), medium (~19M) (default:"
                    + " ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(
            names = "--budgets",
            split = ",",
            defaultValue = "50,150,450",
            description = "EFT examples per family in M0's SFT, one grid point each (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets;

    @Option(
            names = "--recipes",
            split = ",",
            defaultValue = "suite",
            description = "How the EFT examples are made: suite (mixed-quality responses from typical mistakes),"
                    + " own (then once more on M0's own graded samples of the EFT prompts) (default:"
                    + " ${DEFAULT-VALUE}).")
    List<String> recipes;

    @Option(
            names = "--families",
            split = ",",
            defaultValue = "sort,reverse,add,count",
            description = "Task families of the suite (default: ${DEFAULT-VALUE}).")
    List<String> families;

    @Option(
            names = "--ift",
            defaultValue = "150",
            description = "IFT examples per family, the same at every point (default: ${DEFAULT-VALUE}).")
    int ift;

    @Option(
            names = "--eval",
            defaultValue = "32",
            description = "Held-out prompts per family whose samples are judged (default: ${DEFAULT-VALUE}).")
    int eval;

    @Option(
            names = {"-k", "--samples"},
            defaultValue = "4",
            description = "Responses sampled per held-out prompt (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--judge-samples",
            defaultValue = "3",
            description = "Judgments per response, their scores averaged (default: ${DEFAULT-VALUE}).")
    int judgeSamples;

    @Option(names = "--epochs", defaultValue = "4", description = "Epochs of M0's SFT (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the suite, base models, sampling and judging" + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    PlatformOptions platform;

    @Override
    public Integer call() {
        new JudgeStudy(settings(), spec.commandLine().getOut()).run();
        return 0;
    }

    JudgeStudySettings settings() {
        List<ModelSize> modelSizes = new ArrayList<>();
        for (String size : distinct(sizes)) {
            try {
                modelSizes.add(ModelSize.valueOf(size.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--sizes takes " + names(ModelSize.values()) + ", got '" + size + "'");
            }
        }
        List<JudgeStudySettings.Recipe> recipeList = new ArrayList<>();
        for (String recipe : distinct(recipes)) {
            try {
                recipeList.add(JudgeStudySettings.Recipe.valueOf(recipe.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError(
                        "--recipes takes " + names(JudgeStudySettings.Recipe.values()) + ", got '" + recipe + "'");
            }
        }
        List<String> familyList = distinct(families).stream().map(String::strip).toList();
        for (String family : familyList) {
            require(
                    Oracle.family(family).isPresent(),
                    "--families takes " + String.join(", ", Oracle.familyNames()) + ", got '" + family + "'");
        }
        List<Integer> budgetList = distinct(budgets);
        for (int budget : budgetList) {
            require(budget >= 1 && budget <= 2000, "--budgets must each be between 1 and 2000, got " + budget);
        }
        require(ift >= 0 && ift <= 2000, "--ift must be between 0 and 2000");
        require(eval >= 1 && eval <= 500, "--eval must be between 1 and 500");
        require(samples >= 2 && samples <= 16, "--samples must be between 2 and 16 (pairs need two responses)");
        require(judgeSamples >= 1 && judgeSamples <= 16, "--judge-samples must be between 1 and 16");
        require(epochs >= 1 && epochs <= 50, "--epochs must be between 1 and 50");
        platform.check();
        return new JudgeStudySettings(
                out,
                modelSizes,
                budgetList,
                recipeList,
                familyList,
                ift,
                eval,
                samples,
                judgeSamples,
                epochs,
                seed,
                platform.dbUrl,
                platform.dbUser,
                platform.dbPassword,
                platform.port);
    }

    private static <T> List<T> distinct(List<T> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static String names(Enum<?>[] values) {
        List<String> names = new ArrayList<>();
        for (Enum<?> value : values) {
            names.add(value.name().toLowerCase(Locale.ROOT));
        }
        return String.join(", ", names);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UserError(message);
        }
    }
}
