package org.tsr.pairing.work;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.tsr.contract.work.PairWork;
import org.tsr.pairing.curation.DatasetCuration;
import org.tsr.pairing.curation.PairRules;
import org.tsr.pairing.curation.Selection;
import org.tsr.pairing.similarity.RepresentationSimilarity;
import org.tsr.store.judgment.JudgedResponse;
import org.tsr.store.judgment.ResponseScores;
import org.tsr.store.pair.PairWriter;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.run.IterationDiagnostics;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.PermanentWorkFailure;
import org.tsr.store.workqueue.WorkHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Curates one dataset of one iteration: reads the judged responses, applies the dataset's rule per prompt, measures
 * how alike the policy represents each pair's sides, and writes the kept pairs with the dataset's diagnostics (under
 * {@code diagnostics.pairs.<dataset>} of the iteration) in the transaction that completes the unit.
 */
@Component
class PairingHandler implements WorkHandler {

    private final ResponseScores scores;
    private final PairWriter pairWriter;
    private final IterationDiagnostics diagnostics;
    private final IterationRepository iterations;
    private final DatasetCuration curation;
    private final RepresentationSimilarity similarity;
    private final ResponseRepository responses;
    private final PromptRepository prompts;
    private final JsonMapper json = JsonMapper.builder().build();

    PairingHandler(
            ResponseScores scores,
            PairWriter pairWriter,
            IterationDiagnostics diagnostics,
            IterationRepository iterations,
            PairingProperties properties,
            RepresentationSimilarity similarity,
            ResponseRepository responses,
            PromptRepository prompts) {
        this.scores = scores;
        this.pairWriter = pairWriter;
        this.diagnostics = diagnostics;
        this.iterations = iterations;
        this.curation = new DatasetCuration(new PairRules(properties.tieBreaks()));
        this.similarity = similarity;
        this.responses = responses;
        this.prompts = prompts;
    }

    @Override
    public Runnable process(ClaimedUnit unit) {
        PairWork task = parse(unit);
        if (!iterations.existsById(task.iterationId())) {
            throw new PermanentWorkFailure("iteration " + task.iterationId() + " does not exist");
        }
        List<JudgedResponse> responses = scores.judgedResponses(
                task.iterationId(), task.judgeGenerationId(), DatasetCuration.purposesFor(task.dataset()));
        DatasetCuration.Result result = curation.curate(task.dataset(), responses);
        List<PreferencePair> pairs = result.pairs().stream()
                .map(p -> toPair(task, p.promptId(), p.selection()))
                .toList();
        RepresentationSimilarity.Result likeness =
                similarity.meanCosine(task.representationGenerationId(), texts(result.pairs()), task.chatFormat());
        String diagnosticsJson = json.writeValueAsString(
                result.diagnostics().withHiddenStateCosine(likeness.meanCosine(), likeness.unavailable()));
        return () -> {
            pairWriter.saveAll(pairs);
            diagnostics.record(task.iterationId(), "pairs", task.dataset().name(), diagnosticsJson);
        };
    }

    private List<RepresentationSimilarity.TextPair> texts(List<DatasetCuration.PromptSelection> pairs) {
        Map<Long, String> responseTexts = responses
                .findAllById(pairs.stream()
                        .flatMap(p -> Stream.of(
                                p.selection().chosen().responseId(),
                                p.selection().rejected().responseId()))
                        .toList())
                .stream()
                .collect(Collectors.toMap(Response::getId, Response::getText));
        Map<Long, String> promptTexts =
                prompts
                        .findAllById(pairs.stream()
                                .map(DatasetCuration.PromptSelection::promptId)
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Prompt::getId, Prompt::getText));
        return pairs.stream()
                .map(p -> new RepresentationSimilarity.TextPair(
                        promptTexts.get(p.promptId()),
                        responseTexts.get(p.selection().chosen().responseId()),
                        responseTexts.get(p.selection().rejected().responseId())))
                .toList();
    }

    private PairWork parse(ClaimedUnit unit) {
        try {
            return json.readValue(unit.payload(), PairWork.class);
        } catch (JacksonException e) {
            throw new PermanentWorkFailure("PAIR unit " + unit.id() + " has an unreadable payload: "
                    + e.getOriginalMessage() + "; expected {\"iterationId\": n, \"dataset\": \"SR|D1|D2\", "
                    + "\"judgeGenerationId\": n}");
        }
    }

    private static PreferencePair toPair(PairWork task, long promptId, Selection selection) {
        return new PreferencePair(
                task.iterationId(),
                task.dataset(),
                promptId,
                new PreferencePair.Side(
                        selection.chosen().responseId(),
                        selection.chosen().score(),
                        selection.chosen().source()),
                new PreferencePair.Side(
                        selection.rejected().responseId(),
                        selection.rejected().score(),
                        selection.rejected().source()));
    }
}
