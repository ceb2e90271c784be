package org.tsr.store.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunMethod;
import org.tsr.store.run.RunRepository;

/**
 * Builds the rows that tests of one table need from the tables before it. Shared with the services' tests through the
 * store's test jar, where the store's component scan finds it.
 */
@Component
public class StoreFixtures {

    private final ModelGenerationRepository generations;
    private final RunRepository runs;
    private final IterationRepository iterations;
    private final PromptSetRepository promptSets;
    private final PromptRepository prompts;

    StoreFixtures(
            ModelGenerationRepository generations,
            RunRepository runs,
            IterationRepository iterations,
            PromptSetRepository promptSets,
            PromptRepository prompts) {
        this.generations = generations;
        this.runs = runs;
        this.iterations = iterations;
        this.promptSets = promptSets;
        this.prompts = prompts;
    }

    public ModelGeneration m0() {
        return generations.save(ModelGeneration.imported(
                "M0", GenerationKind.SFT, "file:///models/m0", CheckpointFormat.HF_SAFETENSORS));
    }

    public Run run(RunMethod method, ModelGeneration initial) {
        return runs.save(new Run(method + " run", method, initial.getId(), "{\"iterations\": 2}"));
    }

    public Iteration iteration(Run run, int index, ModelGeneration policy) {
        return iterations.save(new Iteration(run.getId(), index, policy.getId(), index));
    }

    /** ITERATION prompts of chunk 0 in a new prompt set, one per text. */
    public List<Prompt> prompts(String... texts) {
        PromptSet set = promptSets.save(new PromptSet("set-" + UUID.randomUUID(), "test prompts"));
        List<Prompt> created = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            created.add(prompts.save(new Prompt(set.getId(), PromptSplit.ITERATION, 0, i, texts[i], null, "test")));
        }
        return created;
    }

    /** One ITERATION prompt of chunk 0 in a new prompt set, with its reference answer and task family. */
    public Prompt graded(String text, String reference, String family) {
        PromptSet set = promptSets.save(new PromptSet("set-" + UUID.randomUUID(), "test prompts"));
        return prompts.save(new Prompt(set.getId(), PromptSplit.ITERATION, 0, 0, text, reference, family));
    }

    public List<Prompt> prompts(int count) {
        PromptSet set = promptSets.save(new PromptSet("set-" + UUID.randomUUID(), "test prompts"));
        List<Prompt> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            created.add(
                    prompts.save(new Prompt(set.getId(), PromptSplit.ITERATION, 0, i, "prompt " + i, null, "test")));
        }
        return created;
    }
}
