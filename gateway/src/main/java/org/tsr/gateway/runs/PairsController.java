package org.tsr.gateway.runs;

import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The preference pairs an iteration curated, a page at a time, with both texts and their scores. */
@RestController
@RequestMapping("/api/v1/runs/{runId}/iterations/{index}/pairs")
class PairsController {

    private static final int MAX_PAGE_SIZE = 500;

    private final JdbcClient jdbc;

    PairsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record PairView(
            long id,
            String dataset,
            String prompt,
            String chosen,
            double chosenScore,
            String chosenSource,
            String rejected,
            double rejectedScore,
            String rejectedSource) {}

    record PairsPage(int page, int size, long total, List<PairView> pairs) {}

    @GetMapping
    PairsPage pairs(
            @PathVariable long runId,
            @PathVariable int index,
            @RequestParam(required = false) String dataset,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw new RunProblem(HttpStatus.BAD_REQUEST, "page", "page must be >= 0, got " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new RunProblem(
                    HttpStatus.BAD_REQUEST, "size", "size must be 1 to " + MAX_PAGE_SIZE + ", got " + size);
        }
        Long iterationId = jdbc.sql("select id from iteration where run_id = ? and iteration_index = ?")
                .params(runId, index)
                .query(Long.class)
                .optional()
                .orElseThrow(() ->
                        new RunProblem(HttpStatus.NOT_FOUND, "index", "run " + runId + " has no iteration " + index));
        String datasetName = dataset == null ? null : dataset.toUpperCase(Locale.ROOT);
        long total = jdbc.sql("select count(*) from preference_pair where iteration_id = ?"
                        + " and (cast(? as text) is null or dataset = ?)")
                .params(iterationId, datasetName, datasetName)
                .query(Long.class)
                .single();
        List<PairView> pairs = jdbc.sql("""
                        select p.id, p.dataset, q.text as prompt, c.text as chosen, p.chosen_score, p.chosen_source,
                               r.text as rejected, p.rejected_score, p.rejected_source
                        from preference_pair p
                        join prompt q on q.id = p.prompt_id
                        join response c on c.id = p.chosen_response_id
                        join response r on r.id = p.rejected_response_id
                        where p.iteration_id = ? and (cast(? as text) is null or p.dataset = ?)
                        order by p.dataset, p.prompt_id
                        limit ? offset ?
                        """)
                .params(iterationId, datasetName, datasetName, size, (long) page * size)
                .query((rs, row) -> new PairView(
                        rs.getLong("id"),
                        rs.getString("dataset"),
                        rs.getString("prompt"),
                        rs.getString("chosen"),
                        rs.getDouble("chosen_score"),
                        rs.getString("chosen_source"),
                        rs.getString("rejected"),
                        rs.getDouble("rejected_score"),
                        rs.getString("rejected_source")))
                .list();
        return new PairsPage(page, size, total, pairs);
    }
}
