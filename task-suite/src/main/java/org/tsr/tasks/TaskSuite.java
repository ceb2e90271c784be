package org.tsr.tasks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates the built-in suite from a {@link SuiteSpec}: the held-out evaluation prompts first, then the iteration
 * chunks, then the IFT and EFT seed data, every prompt text distinct from every other, so no chunk overlaps another
 * or the evaluation set.
 */
public final class TaskSuite {

    private static final String[] EXTRA_TEXT = {"ok", "is it", "done", "yes"};

    private TaskSuite() {}

    public static List<SuitePrompt> generate(SuiteSpec spec) {
        Set<String> taken = new HashSet<>();
        List<SuitePrompt> prompts = new ArrayList<>();
        for (String name : spec.families()) {
            TaskFamily family = Oracle.family(name).orElseThrow();
            for (Task task : draw(family, spec.evalPerFamily(), random(spec, name, "EVAL"), taken)) {
                prompts.add(new SuitePrompt(task.prompt(), "EVAL", null, task.reference(), name));
            }
            Random chunkRandom = random(spec, name, "ITERATION");
            for (int chunk = 0; chunk < spec.chunks(); chunk++) {
                for (Task task : draw(family, spec.chunkPerFamily(), chunkRandom, taken)) {
                    prompts.add(new SuitePrompt(task.prompt(), "ITERATION", chunk, task.reference(), name));
                }
            }
            for (Task task : draw(family, spec.iftPerFamily(), random(spec, name, "IFT"), taken)) {
                prompts.add(new SuitePrompt(task.prompt(), "IFT", null, task.reference(), name));
            }
            Random eftRandom = random(spec, name, "EFT");
            for (Task task : draw(family, spec.eftPerFamily(), eftRandom, taken)) {
                String response = judgedResponse(family, task, eftRandom);
                Grade grade = family.grade(task.prompt(), task.reference(), response);
                prompts.add(new SuitePrompt(
                        JudgeFormat.render(task.prompt(), response), "EFT", null, grade.judgment(), name));
            }
        }
        return prompts;
    }

    /**
     * A response of mixed quality for a judge example: right about a third of the time, else a typical mistake, and
     * sometimes followed by extraneous text, so every score from 1 to 5 appears.
     */
    private static String judgedResponse(TaskFamily family, Task task, Random random) {
        String answer = random.nextInt(3) == 0 ? task.reference() : family.mistake(task, random);
        return random.nextInt(5) == 0 ? answer + " " + EXTRA_TEXT[random.nextInt(EXTRA_TEXT.length)] : answer;
    }

    private static List<Task> draw(TaskFamily family, int count, Random random, Set<String> taken) {
        List<Task> tasks = new ArrayList<>(count);
        int attempts = 0;
        while (tasks.size() < count) {
            if (++attempts > 100 * (count + 10)) {
                throw new IllegalArgumentException("family '" + family.name() + "' cannot make " + count
                        + " more distinct prompts; ask for fewer");
            }
            Task task = family.sample(random);
            if (taken.add(task.prompt())) {
                tasks.add(task);
            }
        }
        return tasks;
    }

    private static Random random(SuiteSpec spec, String family, String split) {
        return new Random(spec.seed() * 1_000_003L + (family + "/" + split).hashCode());
    }
}
