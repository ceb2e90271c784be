package org.tsr.store.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.testing.StoreFixtures;

@SpringBootTest
class IterationDiagnosticsTest {

    @Autowired
    IterationDiagnostics diagnostics;

    @Autowired
    IterationRepository iterations;

    @Autowired
    StoreFixtures fixtures;

    @Test
    void sectionsWrittenBySeparateStagesAllSurvive() {
        ModelGeneration m0 = fixtures.m0();
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.TSR, m0), 0, m0);

        diagnostics.record(iteration.getId(), "pairs", "D1", "{\"pairs\": 3}");
        diagnostics.record(iteration.getId(), "pairs", "D2", "{\"pairs\": 4}");
        diagnostics.record(iteration.getId(), "evaluation", "winRate", "0.5");

        String stored = iterations.findById(iteration.getId()).orElseThrow().getDiagnostics();
        assertThat(stored).contains("\"D1\": {\"pairs\": 3}", "\"D2\": {\"pairs\": 4}", "\"winRate\": 0.5");
    }

    @Test
    void savingAnIterationLoadedEarlierKeepsDiagnosticsWrittenSince() {
        ModelGeneration m0 = fixtures.m0();
        Iteration iteration = fixtures.iteration(fixtures.run(RunMethod.TSR, m0), 0, m0);
        Iteration loadedBefore = iterations.findById(iteration.getId()).orElseThrow();

        diagnostics.record(iteration.getId(), "pairs", "D1", "{\"pairs\": 3}");
        loadedBefore.enter(IterationPhase.TRAINING_FUTURE);
        iterations.save(loadedBefore);

        Iteration stored = iterations.findById(iteration.getId()).orElseThrow();
        assertThat(stored.getPhase()).isEqualTo(IterationPhase.TRAINING_FUTURE);
        assertThat(stored.getDiagnostics()).contains("\"D1\": {\"pairs\": 3}");
    }

    @Test
    void unknownIterationIsRefused() {
        assertThatThrownBy(() -> diagnostics.record(Long.MAX_VALUE, "pairs", "SR", "{}"))
                .hasMessage("no iteration with id " + Long.MAX_VALUE);
    }
}
