package org.tsr.store.run;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface RunRepository extends JpaRepository<Run, Long> {

    List<Run> findByStatusOrderById(RunStatus status);
}
