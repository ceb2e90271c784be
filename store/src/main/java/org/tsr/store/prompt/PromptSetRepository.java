package org.tsr.store.prompt;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface PromptSetRepository extends JpaRepository<PromptSet, Long> {

    Optional<PromptSet> findByName(String name);
}
