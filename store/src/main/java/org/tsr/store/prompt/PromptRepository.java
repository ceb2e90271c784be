package org.tsr.store.prompt;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PromptRepository extends JpaRepository<Prompt, Long> {

    List<Prompt> findByPromptSetIdAndSplitOrderByPosition(Long promptSetId, PromptSplit split);

    List<Prompt> findByPromptSetIdAndSplitAndChunkOrderByPosition(Long promptSetId, PromptSplit split, Integer chunk);
}
