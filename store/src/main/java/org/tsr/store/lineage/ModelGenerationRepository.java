package org.tsr.store.lineage;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ModelGenerationRepository extends JpaRepository<ModelGeneration, Long> {

    List<ModelGeneration> findByRunIdOrderById(Long runId);

    Optional<ModelGeneration> findFirstByCheckpointFormatOrderById(CheckpointFormat format);
}
