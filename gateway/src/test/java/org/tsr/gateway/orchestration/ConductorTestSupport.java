package org.tsr.gateway.orchestration;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.tsr.gateway.report.RunReports;
import org.tsr.gateway.runs.CreateRunRequest;
import org.tsr.gateway.runs.RunCatalog;
import org.tsr.gateway.runs.RunView;
import org.tsr.store.lineage.CheckpointFormat;
import org.tsr.store.lineage.GenerationKind;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSet;
import org.tsr.store.prompt.PromptSetRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.run.RunMethod;

/**
 * What the conductor's tests share: the gateway without its own conducting loop, {@link StageStandIns} for the stage
 * services, an M0 and a prompt set of two ITERATION chunks of two prompts, and runs of earlier tests put out of the
 * way so that a tick moves only this test's run.
 */
@SpringBootTest(properties = {"tsr.orchestration.conduct=false", "tsr.access.enabled=false"})
abstract class ConductorTestSupport {

    @Autowired
    RunCatalog catalog;

    @Autowired
    RunConductor conductor;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    PromptSetRepository promptSets;

    @Autowired
    PromptRepository prompts;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    StageStandIns workers;

    @Autowired
    ResponseWriter responseWriter;

    @Autowired
    RunReports reports;

    ModelGeneration m0;
    PromptSet set;

    @BeforeEach
    void modelAndPrompts() {
        // runs of earlier tests must not move when this test ticks the conductor
        jdbc.update("update run set status = 'CANCELLED' where status in ('PENDING', 'RUNNING', 'PAUSED')");
        jdbc.update("update work_unit set status = 'DONE', lease_owner = null, lease_expires_at = null"
                + " where status in ('PENDING', 'RUNNING')");
        m0 = generations.save(
                ModelGeneration.imported("M0", GenerationKind.SFT, "file:///m0", CheckpointFormat.HF_SAFETENSORS));
        set = promptSets.save(new PromptSet("conductor-" + UUID.randomUUID(), null));
        for (int chunk = 0; chunk < 2; chunk++) {
            for (int i = 0; i < 2; i++) {
                prompts.save(new Prompt(set.getId(), PromptSplit.ITERATION, chunk, chunk * 2 + i, "p" + i, null, "t"));
            }
        }
    }

    /** A run from M0 on the set: two samples per prompt, one judge sample, everything else by default. */
    CreateRunRequest request(RunMethod method, int iterations, CreateRunRequest.Evaluation evaluation) {
        return new CreateRunRequest(
                method + " test",
                method,
                m0.getId(),
                null,
                set.getId(),
                iterations,
                2,
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                evaluation,
                null);
    }

    /** The phase of the run's last iteration. */
    String phase(long runId) {
        List<RunView.IterationView> iterations = catalog.view(runId).iterations();
        return iterations.get(iterations.size() - 1).phase();
    }
}
