package org.tsr.store.training;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface TrainingJobRepository extends JpaRepository<TrainingJob, Long> {

    List<TrainingJob> findByIterationIdOrderById(Long iterationId);
}
