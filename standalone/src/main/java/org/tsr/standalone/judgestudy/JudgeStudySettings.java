package org.tsr.standalone.judgestudy;

import java.nio.file.Path;
import java.util.List;
import org.tsr.standalone.experiment.ModelSize;

/**
 * What {@code tsr judge-study} measures: every model size with every EFT budget (and recipe), one fresh M0 each.
 *
 * @param sizes the built-in model sizes, each from its own freshly initialised base model
 * @param eftBudgets EFT examples per family in M0's SFT, one grid point each
 * @param recipes how the EFT examples are made
 * @param families the task families of the suite (IFT, EFT and held-out prompts)
 * @param iftPerFamily IFT examples per family, the same at every point
 * @param evalPerFamily held-out prompts per family whose samples are judged
 * @param samples K responses sampled per held-out prompt
 * @param judgeSamples judgments per response, their valid scores averaged
 * @param sftEpochs epochs of M0's SFT
 * @param dbUrl a PostgreSQL to use, or null for an embedded one
 * @param port the gateway's port; the generator, judge, pairing and trainer services take the four after it
 */
public record JudgeStudySettings(
        Path out,
        List<ModelSize> sizes,
        List<Integer> eftBudgets,
        List<Recipe> recipes,
        List<String> families,
        int iftPerFamily,
        int evalPerFamily,
        int samples,
        int judgeSamples,
        int sftEpochs,
        long seed,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int port) {

    /** How M0's judge training data is made. */
    public enum Recipe {
        /** The suite's EFT examples: responses of mixed quality made from typical mistakes, graded by the oracle. */
        SUITE,
        /**
         * After the SUITE SFT, M0 samples K responses to the EFT prompts, the oracle grades them, and M0 is fine-tuned
         * once more on those judgments of its own samples (and the IFT examples, so it keeps answering).
         */
        OWN
    }

    public JudgeStudySettings {
        sizes = List.copyOf(sizes);
        eftBudgets = List.copyOf(eftBudgets);
        recipes = List.copyOf(recipes);
        families = List.copyOf(families);
    }

    public int points() {
        return sizes.size() * eftBudgets.size() * recipes.size();
    }
}
