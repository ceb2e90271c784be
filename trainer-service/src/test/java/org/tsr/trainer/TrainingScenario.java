package org.tsr.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.responses.FinishReason;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.pair.ResponseSource;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunMethod;
import org.tsr.store.run.RunRepository;

/** Test data in the store: the tiny M0, an SR iteration with three sorting pairs, and an IFT/EFT prompt set. */
@Component
public class TrainingScenario {

    static final String[][] SORTING = {
        {"sort: cba", "abc", "cab"}, {"sort: fed", "def", "efd"}, {"sort: qpo", "opq", "pqo"}
    };

    private final ModelGenerationRepository generations;
    private final RunRepository runs;
    private final IterationRepository iterations;
    private final PromptSetRepository promptSets;
    private final PromptRepository prompts;
    private final ResponseWriter responseWriter;
    private final ResponseRepository responses;
    private final PreferencePairRepository pairs;

    TrainingScenario(
            ModelGenerationRepository generations,
            RunRepository runs,
            IterationRepository iterations,
            PromptSetRepository promptSets,
            PromptRepository prompts,
            ResponseWriter responseWriter,
            ResponseRepository responses,
            PreferencePairRepository pairs) {
        this.generations = generations;
        this.runs = runs;
        this.iterations = iterations;
        this.promptSets = promptSets;
        this.prompts = prompts;
        this.responseWriter = responseWriter;
        this.responses = responses;
        this.pairs = pairs;
    }

    public record SrIteration(ModelGeneration m0, Run run, Iteration iteration, List<PreferencePair> pairs) {}

    public ModelGeneration m0() {
        return TinyModelFixture.register(generations);
    }

    /** An SR iteration of M0 with one pair per sorting prompt: the sorted answer chosen. */
    public SrIteration srIteration() {
        ModelGeneration m0 = m0();
        Run run = runs.save(new Run("sr-" + UUID.randomUUID(), RunMethod.SR, m0.getId(), "{}"));
        Iteration iteration = iterations.save(new Iteration(run.getId(), 0, m0.getId(), 0));
        PromptSet set = promptSets.save(new PromptSet("train-" + UUID.randomUUID(), null));
        List<NewResponse> rows = new ArrayList<>();
        List<Prompt> saved = new ArrayList<>();
        for (int i = 0; i < SORTING.length; i++) {
            Prompt prompt =
                    prompts.save(new Prompt(set.getId(), PromptSplit.ITERATION, 0, i, SORTING[i][0], null, "sort"));
            saved.add(prompt);
            for (int sample = 0; sample < 2; sample++) {
                String text = SORTING[i][1 + sample];
                rows.add(new NewResponse(
                        prompt.getId(),
                        m0.getId(),
                        iteration.getId(),
                        ResponsePurpose.POLICY,
                        sample,
                        text,
                        text.length(),
                        FinishReason.STOP));
            }
        }
        responseWriter.saveAll(rows);
        List<Response> stored = responses.findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
                iteration.getId(), ResponsePurpose.POLICY);
        List<PreferencePair> made = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            made.add(pairs.save(new PreferencePair(
                    iteration.getId(),
                    PairDataset.SR,
                    saved.get(i).getId(),
                    new PreferencePair.Side(stored.get(2 * i).getId(), 4.0, ResponseSource.POLICY),
                    new PreferencePair.Side(stored.get(2 * i + 1).getId(), 2.0, ResponseSource.POLICY))));
        }
        return new SrIteration(m0, run, iteration, made);
    }

    /** A prompt set with two IFT answers, one EFT judgment and an EVAL prompt that SFT must leave out. */
    public PromptSet sftPrompts() {
        PromptSet set = promptSets.save(new PromptSet("sft-" + UUID.randomUUID(), null));
        prompts.save(new Prompt(set.getId(), PromptSplit.IFT, null, 0, "sort: cba", "abc", "sort"));
        prompts.save(new Prompt(set.getId(), PromptSplit.IFT, null, 1, "sort: fed", "def", "sort"));
        prompts.save(new Prompt(set.getId(), PromptSplit.EFT, null, 0, "Rate sort: cba => abc.", "Score: 5", "sort"));
        prompts.save(new Prompt(set.getId(), PromptSplit.EVAL, null, 0, "sort: zyx", "xyz", "sort"));
        return set;
    }
}
