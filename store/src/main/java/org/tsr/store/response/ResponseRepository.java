package org.tsr.store.response;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.tsr.contract.responses.ResponsePurpose;

public interface ResponseRepository extends JpaRepository<Response, Long> {

    List<Response> findByIterationIdAndPurposeOrderByPromptIdAscSampleIndexAsc(
            Long iterationId, ResponsePurpose purpose);

    long countByIterationId(Long iterationId);
}
