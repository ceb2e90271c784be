package org.tsr.store.judgment;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface JudgmentRepository extends JpaRepository<Judgment, Long> {

    List<Judgment> findByResponseIdOrderBySampleIndex(Long responseId);
}
