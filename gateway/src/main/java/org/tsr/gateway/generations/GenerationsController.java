package org.tsr.gateway.generations;

import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.gateway.runs.RunProblem;
import org.tsr.store.lineage.LineageNode;
import org.tsr.store.lineage.ModelGeneration;
import org.tsr.store.lineage.ModelGenerationRepository;
import org.tsr.store.lineage.ModelLineage;

/** Model generations and their lineage. */
@RestController
@RequestMapping("/api/v1")
class GenerationsController {

    private final ModelGenerationRepository generations;
    private final ModelLineage lineage;

    GenerationsController(ModelGenerationRepository generations, ModelLineage lineage) {
        this.generations = generations;
        this.lineage = lineage;
    }

    record GenerationView(
            long id,
            String name,
            String kind,
            String status,
            Long parentId,
            Long runId,
            Long iterationId,
            String checkpointUri,
            String checkpointFormat) {

        static GenerationView of(ModelGeneration g) {
            return new GenerationView(
                    g.getId(),
                    g.getName(),
                    g.getKind().name(),
                    g.getStatus().name(),
                    g.getParentId(),
                    g.getRunId(),
                    g.getIterationId(),
                    g.getCheckpointUri(),
                    g.getCheckpointFormat() == null
                            ? null
                            : g.getCheckpointFormat().name().toLowerCase(Locale.ROOT));
        }
    }

    @GetMapping("/generations")
    List<GenerationView> list() {
        return generations.findAll().stream().map(GenerationView::of).toList();
    }

    @GetMapping("/generations/{id}")
    GenerationView get(@PathVariable long id) {
        return generations.findById(id).map(GenerationView::of).orElseThrow(() -> unknown(id));
    }

    /** The generation's ancestors down to it, then everything trained from it, as one tree from its root. */
    @GetMapping("/generations/{id}/lineage")
    LineageNode lineage(@PathVariable long id) {
        return lineage.treeThrough(id).orElseThrow(() -> unknown(id));
    }

    /** Every generation a run produced, under the ancestors they share. */
    @GetMapping("/runs/{runId}/lineage")
    List<LineageNode> runLineage(@PathVariable long runId) {
        return lineage.treeOf(runId);
    }

    private static RunProblem unknown(long id) {
        return new RunProblem(HttpStatus.NOT_FOUND, "id", "model generation " + id + " does not exist");
    }
}
