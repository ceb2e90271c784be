package org.tsr.pairing.work;

import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.pairing.curation.DatasetCuration;
import org.tsr.pairing.curation.PairRules;
import org.tsr.pairing.curation.Selection;
import org.tsr.store.judgment.JudgedResponse;
import org.tsr.store.judgment.ResponseScores;
import org.tsr.store.pair.PairWriter;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.run.IterationDiagnostics;
import org.tsr.store.run.IterationRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.PermanentWorkFailure;
import org.tsr.store.workqueue.WorkHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Curates one dataset of one iteration: reads the judged responses, applies the dataset's rule per prompt, and writes
 * the kept pairs with the dataset's diagnostics (under {@code diagnostics.pairs.<dataset>} of the iteration) in the
 * transaction that completes the unit.
 */
@Component
class PairingHandler implements WorkHandler {

    private final ResponseScores scores;
    private final PairWriter pairWriter;
    private final IterationDiagnostics diagnostics;
    private final IterationRepository iterations;
    private final DatasetCuration curation;
    private final JsonMapper json = JsonMapper.builder().build();

    PairingHandler(
            ResponseScores scores,
            PairWriter pairWriter,
            IterationDiagnostics diagnostics,
            IterationRepository iterations,
            PairingProperties properties) {
        this.scores = scores;
        this.pairWriter = pairWriter;
        this.diagnostics = diagnostics;
        this.iterations = iterations;
        this.curation = new DatasetCuration(new PairRules(properties.tieBreaks()));
    }

    @Override
    public Runnable process(ClaimedUnit unit) {
        PairUnit task = parse(unit);
        if (!iterations.existsById(task.iterationId())) {
            throw new PermanentWorkFailure("iteration " + task.iterationId() + " does not exist");
        }
        List<JudgedResponse> responses = scores.judgedResponses(
                task.iterationId(), task.judgeGenerationId(), DatasetCuration.purposesFor(task.dataset()));
        DatasetCuration.Result result = curation.curate(task.dataset(), responses);
        List<PreferencePair> pairs = result.pairs().stream()
                .map(p -> toPair(task, p.promptId(), p.selection()))
                .toList();
        String diagnosticsJson = json.writeValueAsString(result.diagnostics());
        return () -> {
            pairWriter.saveAll(pairs);
            diagnostics.record(task.iterationId(), "pairs", task.dataset().name(), diagnosticsJson);
        };
    }

    private PairUnit parse(ClaimedUnit unit) {
        try {
            return json.readValue(unit.payload(), PairUnit.class);
        } catch (JacksonException e) {
            throw new PermanentWorkFailure("PAIR unit " + unit.id() + " has an unreadable payload: "
                    + e.getOriginalMessage() + "; expected {\"iterationId\": n, \"dataset\": \"SR|D1|D2\", "
                    + "\"judgeGenerationId\": n}");
        }
    }

    private static PreferencePair toPair(PairUnit task, long promptId, Selection selection) {
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
