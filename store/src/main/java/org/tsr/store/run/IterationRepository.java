package org.tsr.store.run;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface IterationRepository extends JpaRepository<Iteration, Long> {

    List<Iteration> findByRunIdOrderByIndex(Long runId);

    Optional<Iteration> findByRunIdAndIndex(Long runId, int index);
}
