package org.tsr.store.pair;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.tsr.contract.pairs.PairDataset;

public interface PreferencePairRepository extends JpaRepository<PreferencePair, Long> {

    List<PreferencePair> findByIterationIdAndDatasetOrderByPromptId(Long iterationId, PairDataset dataset);
}
