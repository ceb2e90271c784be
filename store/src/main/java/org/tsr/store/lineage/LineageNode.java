package org.tsr.store.lineage;

import java.util.List;

/** A model generation in a run's lineage tree, with the generations trained from it. */
public record LineageNode(
        long id,
        String name,
        GenerationKind kind,
        GenerationStatus status,
        Long runId,
        Long iterationId,
        String checkpointUri,
        List<LineageNode> children) {

    /** Every node of this subtree, parents before children. */
    public List<LineageNode> flatten() {
        var nodes = new java.util.ArrayList<LineageNode>();
        nodes.add(this);
        children.forEach(child -> nodes.addAll(child.flatten()));
        return nodes;
    }
}
