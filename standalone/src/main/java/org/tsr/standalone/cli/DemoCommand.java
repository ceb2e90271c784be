package org.tsr.standalone.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tsr.contract.training.TrainingExecutor;
import org.tsr.standalone.console.UserError;
import org.tsr.standalone.experiment.DemoExperiment;
import org.tsr.standalone.experiment.DemoSettings;
import org.tsr.standalone.experiment.ModelSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tsr demo}: the default experiment, SR against TSR at equal DPO models on the built-in suite, per judge. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the default experiment on this machine: start an embedded PostgreSQL (unless --db-url is given) and"
                    + " the five services, fine-tune the built-in base model into M0 on the suite's IFT and EFT"
                    + " data, run Self-Rewarding (SR) and Temporal Self-Rewarding (TSR) from that M0 on the same"
                    + " prompts, evaluate every generation on the held-out set, and write a report with charts.",
            "By default SR runs 4 iterations and TSR 2, so both train 4 DPO models."
        })
final class DemoCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-o", "--out"},
            defaultValue = "tsr-demo",
            description = "Output folder for the report, charts, raw figures and logs (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--methods",
            split = ",",
            defaultValue = "SR,TSR",
            description = "Methods to compare: SR, TSR or both (default: ${DEFAULT-VALUE}).")
    List<DemoSettings.Method> methods;

    @Option(
            names = "--judges",
            split = ",",
            defaultValue = "oracle,noisy:0.75,self",
            description = "Who judges, one run per method and judge: self (the policy judges its own samples, the"
                    + " papers' setting), frozen (M0 judges every iteration), oracle (the suite's oracle, a"
                    + " control) or noisy:<p> (the oracle, each judge sample right with probability p, otherwise"
                    + " another grade) (default: ${DEFAULT-VALUE}).")
    List<String> judges;

    @Option(names = "--sr-iterations", defaultValue = "4", description = "SR iterations (default: ${DEFAULT-VALUE}).")
    int srIterations;

    @Option(
            names = "--tsr-iterations",
            defaultValue = "2",
            description = "TSR iterations; each trains two DPO models (default: ${DEFAULT-VALUE}).")
    int tsrIterations;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description = "How many seeds to repeat the experiment with; the report shows means and 95%% intervals"
                    + " (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--seed", defaultValue = "1", description = "The first seed (default: ${DEFAULT-VALUE}).")
    long firstSeed;

    @Option(
            names = "--model",
            defaultValue = "tiny",
            description = "Built-in model size: tiny (~1M parameters), small (~5M) or medium (~19M) (default:"
                    + " ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = {"-k", "--samples"},
            defaultValue = "7",
            description = "Responses sampled per prompt, K (default: ${DEFAULT-VALUE}, the TSR paper's).")
    int samples;

    @Option(
            names = "--prompts",
            defaultValue = "64",
            description = "Prompts per task family in each iteration's chunk (default: ${DEFAULT-VALUE}, 256 in all).")
    int prompts;

    @Option(
            names = "--judge-samples",
            defaultValue = "1",
            description = "Judgments per response, averaged; a noisy:<p> judge is right with probability p per"
                    + " judgment (default: ${DEFAULT-VALUE}).")
    int judgeSamples;

    @Option(
            names = "--eval-prompts",
            defaultValue = "100",
            description = "Held-out prompts per task family (default: ${DEFAULT-VALUE}, 400 in all).")
    int evalPrompts;

    @Option(
            names = "--nll-weight",
            defaultValue = "1.0",
            description = "Weight of the NLL term on the chosen response in every DPO update; 0 is plain DPO, the"
                    + " ablation (default: ${DEFAULT-VALUE}).")
    double nllWeight;

    @Option(
            names = "--preset",
            description = "full: the whole judge-accuracy sweep (judges oracle, noisy:0.9, noisy:0.75, noisy:0.6,"
                    + " self and self:expected, 128 prompts per family, 3 seeds, about an hour); quick: as --quick."
                    + " A preset sets those options, whatever else is given.")
    String preset;

    @Option(
            names = "--quick",
            description = "A short experiment for a first look or a CI check: 1 SR and 1 TSR iteration, few prompts.")
    boolean quick;

    @Option(
            names = "--trainer",
            defaultValue = "embedded",
            description = "Where training jobs run: embedded (inside the platform's JVM) or process (each job in a"
                    + " child process of its own, as a kubernetes-job pod runs it) (default: ${DEFAULT-VALUE}).")
    String trainer;

    @Mixin
    PlatformOptions platform;

    private TrainingExecutor trainerExecutor;

    @Override
    public Integer call() {
        new DemoExperiment(settings(), spec.commandLine().getOut()).run();
        return 0;
    }

    DemoSettings settings() {
        ModelSize size;
        try {
            size = ModelSize.valueOf(model.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--model must be tiny, small or medium, got '" + model + "'");
        }
        require(!methods.isEmpty(), "--methods needs SR, TSR or both");
        if (preset != null) {
            switch (preset.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "quick" -> quick = true;
                case "full" -> {
                    judges = List.of("oracle", "noisy:0.9", "noisy:0.75", "noisy:0.6", "self", "self:expected");
                    prompts = 128;
                    seeds = 3;
                }
                default -> throw new UserError("--preset must be quick or full, got '" + preset + "'");
            }
        }
        List<DemoSettings.Judge> judgeRoles = new java.util.ArrayList<>();
        for (String judge : judges) {
            judgeRoles.add(DemoSettings.Judge.parse(judge));
        }
        require(srIterations >= 1 && srIterations <= 20, "--sr-iterations must be between 1 and 20");
        require(tsrIterations >= 1 && tsrIterations <= 20, "--tsr-iterations must be between 1 and 20");
        require(seeds >= 1 && seeds <= 10, "--seeds must be between 1 and 10");
        require(samples >= 2 && samples <= 16, "--samples must be between 2 and 16 (pairs need two responses)");
        require(prompts >= 1 && prompts <= 500, "--prompts must be between 1 and 500");
        require(evalPrompts >= 10 && evalPrompts <= 500, "--eval-prompts must be between 10 and 500");
        require(nllWeight >= 0 && nllWeight <= 10, "--nll-weight must be between 0 and 10");
        require(judgeSamples >= 1 && judgeSamples <= 16, "--judge-samples must be between 1 and 16");
        platform.check();
        trainerExecutor = trainerExecutor();
        if (quick) {
            return new DemoSettings(
                    out,
                    List.copyOf(methods),
                    List.copyOf(judgeRoles),
                    1,
                    1,
                    seeds,
                    firstSeed,
                    size,
                    6,
                    6,
                    40,
                    40,
                    4,
                    samples,
                    1,
                    nllWeight,
                    platform.dbUrl,
                    platform.dbUser,
                    platform.dbPassword,
                    platform.port,
                    trainerExecutor);
        }
        return new DemoSettings(
                out,
                List.copyOf(methods),
                List.copyOf(judgeRoles),
                srIterations,
                tsrIterations,
                seeds,
                firstSeed,
                size,
                prompts,
                evalPrompts,
                600,
                150,
                4,
                samples,
                judgeSamples,
                nllWeight,
                platform.dbUrl,
                platform.dbUser,
                platform.dbPassword,
                platform.port,
                trainerExecutor);
    }

    private TrainingExecutor trainerExecutor() {
        TrainingExecutor executor;
        try {
            executor = TrainingExecutor.of(trainer);
        } catch (IllegalArgumentException e) {
            throw new UserError("--trainer must be embedded or process, got '" + trainer + "'");
        }
        if (executor.onKubernetes()) {
            throw new UserError("--trainer " + executor + " needs a Kubernetes cluster; the demo trains on this machine"
                    + " (embedded or process). See docs/deployment.md to run on a cluster.");
        }
        return executor;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UserError(message);
        }
    }
}
