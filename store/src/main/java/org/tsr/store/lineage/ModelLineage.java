package org.tsr.store.lineage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads the lineage: which generation was trained from which, as a tree. */
@Service
public class ModelLineage {

    /*
     * A run's tree holds the generations the run produced and, walking parent links upwards, every ancestor of
     * them and of the run's starting generation, so M0 and its base model appear even though no run owns them.
     */
    private static final String RUN_TREE = """
            with recursive lineage as (
                select g.* from model_generation g
                where g.run_id = :runId
                   or g.id = (select initial_generation_id from run where id = :runId)
                union
                select parent.* from model_generation parent
                join lineage child on child.parent_id = parent.id
            )
            select id, name, kind, status, parent_id, run_id, iteration_id, checkpoint_uri
            from lineage order by id
            """;

    // the generation's ancestors (walking parent links up) and descendants (walking them down)
    private static final String THROUGH = """
            with recursive up as (
                select g.* from model_generation g where g.id = :id
                union
                select parent.* from model_generation parent join up child on child.parent_id = parent.id
            ), down as (
                select g.* from model_generation g where g.id = :id
                union
                select child.* from model_generation child join down parent on child.parent_id = parent.id
            )
            select id, name, kind, status, parent_id, run_id, iteration_id, checkpoint_uri
            from (select * from up union select * from down) lineage order by id
            """;

    private final JdbcClient jdbc;

    ModelLineage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The run's generations and their ancestors as a forest, roots first; empty for an unknown run. */
    public List<LineageNode> treeOf(long runId) {
        return assemble(rows(RUN_TREE, "runId", runId));
    }

    /**
     * The line through one generation: its ancestors up to the root and everything trained from it, as one tree from
     * the root; empty for an unknown generation.
     */
    public Optional<LineageNode> treeThrough(long generationId) {
        List<LineageNode> roots = assemble(rows(THROUGH, "id", generationId));
        return roots.isEmpty() ? Optional.empty() : Optional.of(roots.get(0));
    }

    private List<Row> rows(String sql, String parameter, long value) {
        return jdbc.sql(sql)
                .param(parameter, value)
                .query((rs, n) -> new Row(
                        rs.getLong("id"),
                        rs.getString("name"),
                        GenerationKind.valueOf(rs.getString("kind")),
                        GenerationStatus.valueOf(rs.getString("status")),
                        (Long) rs.getObject("parent_id"),
                        (Long) rs.getObject("run_id"),
                        (Long) rs.getObject("iteration_id"),
                        rs.getString("checkpoint_uri")))
                .list();
    }

    private static List<LineageNode> assemble(List<Row> rows) {
        Map<Long, List<Row>> childrenByParent = new LinkedHashMap<>();
        Map<Long, Row> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put(row.id(), row));
        List<Row> roots = new ArrayList<>();
        for (Row row : rows) {
            if (row.parentId() == null || !byId.containsKey(row.parentId())) {
                roots.add(row);
            } else {
                childrenByParent
                        .computeIfAbsent(row.parentId(), k -> new ArrayList<>())
                        .add(row);
            }
        }
        return roots.stream().map(root -> build(root, childrenByParent)).toList();
    }

    private static LineageNode build(Row row, Map<Long, List<Row>> childrenByParent) {
        List<LineageNode> children = childrenByParent.getOrDefault(row.id(), List.of()).stream()
                .map(child -> build(child, childrenByParent))
                .toList();
        return new LineageNode(
                row.id(),
                row.name(),
                row.kind(),
                row.status(),
                row.runId(),
                row.iterationId(),
                row.checkpointUri(),
                children);
    }

    private record Row(
            long id,
            String name,
            GenerationKind kind,
            GenerationStatus status,
            Long parentId,
            Long runId,
            Long iterationId,
            String checkpointUri) {}
}
