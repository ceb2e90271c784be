package org.tsr.store.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.tsr.store.run.Iteration;
import org.tsr.store.run.Run;
import org.tsr.store.run.RunMethod;
import org.tsr.store.testing.StoreFixtures;

@SpringBootTest
class ModelLineageTest {

    @Autowired
    ModelLineage lineage;

    @Autowired
    ModelGenerationRepository generations;

    @Autowired
    StoreFixtures fixtures;

    @Test
    void runTreeHoldsItsGenerationsUnderTheirAncestors() {
        ModelGeneration base = generations.save(
                ModelGeneration.imported("base", GenerationKind.BASE, "file:///base", CheckpointFormat.HF_SAFETENSORS));
        ModelGeneration m0 = generations.save(ModelGeneration.trainedFrom(base, "M0", GenerationKind.SFT, null, null));
        m0.markReady("file:///m0", CheckpointFormat.HF_SAFETENSORS);
        generations.save(m0);

        Run tsr = fixtures.run(RunMethod.TSR, m0);
        Iteration first = fixtures.iteration(tsr, 0, m0);
        ModelGeneration future = generations.save(
                ModelGeneration.trainedFrom(m0, "M1-future", GenerationKind.FUTURE, tsr.getId(), first.getId()));
        ModelGeneration m1 = generations.save(
                ModelGeneration.trainedFrom(m0, "M1", GenerationKind.POLICY, tsr.getId(), first.getId()));
        Iteration second = fixtures.iteration(tsr, 1, m1);
        ModelGeneration m2 = generations.save(
                ModelGeneration.trainedFrom(m1, "M2", GenerationKind.POLICY, tsr.getId(), second.getId()));

        // a second run from the same M0 must not leak into the first run's tree
        Run sr = fixtures.run(RunMethod.SR, m0);
        Iteration srFirst = fixtures.iteration(sr, 0, m0);
        ModelGeneration srM1 = generations.save(
                ModelGeneration.trainedFrom(m0, "SR-M1", GenerationKind.POLICY, sr.getId(), srFirst.getId()));

        List<LineageNode> tree = lineage.treeOf(tsr.getId());

        assertThat(tree).singleElement().satisfies(root -> {
            assertThat(root.id()).isEqualTo(base.getId());
            assertThat(root.children()).singleElement().satisfies(m0Node -> {
                assertThat(m0Node.name()).isEqualTo("M0");
                assertThat(m0Node.children()).extracting(LineageNode::name).containsExactly("M1-future", "M1");
                LineageNode m1Node = m0Node.children().get(1);
                assertThat(m1Node.children()).extracting(LineageNode::id).containsExactly(m2.getId());
            });
        });
        assertThat(tree.get(0).flatten())
                .extracting(LineageNode::id)
                .containsExactly(base.getId(), m0.getId(), future.getId(), m1.getId(), m2.getId())
                .doesNotContain(srM1.getId());
        assertThat(lineage.treeOf(sr.getId()).get(0).flatten())
                .extracting(LineageNode::name)
                .containsExactly("base", "M0", "SR-M1");
        assertThat(lineage.treeThrough(m1.getId()).orElseThrow().flatten())
                .as("ancestors of M1, M1, and what was trained from it; not its siblings")
                .extracting(LineageNode::name)
                .containsExactly("base", "M0", "M1", "M2");
        assertThat(lineage.treeThrough(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void unknownRunHasAnEmptyTree() {
        assertThat(lineage.treeOf(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void databaseRefusesAPolicyWithoutParentAndAReadyModelWithoutCheckpoint() {
        ModelGeneration m0 = fixtures.m0();
        ModelGeneration policy = ModelGeneration.trainedFrom(m0, "orphan", GenerationKind.POLICY, null, null);
        // forge the missing parent the way a buggy writer would, below the entity's own checks
        org.springframework.test.util.ReflectionTestUtils.setField(policy, "parentId", null);
        assertThatThrownBy(() -> generations.saveAndFlush(policy))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("model_generation_trained_has_parent");

        ModelGeneration ready = ModelGeneration.trainedFrom(m0, "no-weights", GenerationKind.POLICY, null, null);
        org.springframework.test.util.ReflectionTestUtils.setField(ready, "status", GenerationStatus.READY);
        assertThatThrownBy(() -> generations.saveAndFlush(ready))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("model_generation_ready_has_checkpoint");
    }

    @Test
    void onlyBaseOrSftModelsCanBeImported() {
        assertThatThrownBy(() -> ModelGeneration.imported(
                        "x", GenerationKind.POLICY, "file:///x", CheckpointFormat.HF_SAFETENSORS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POLICY");
    }
}
