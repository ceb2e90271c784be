package org.tsr.generator.openai;

import java.time.Instant;
import java.util.UUID;

/** What every object of one answer repeats: its id, when it was created, and the model as the client named it. */
record AnswerHeader(String id, long created, String model) {

    static AnswerHeader of(String idPrefix, String model) {
        return new AnswerHeader(idPrefix + UUID.randomUUID(), Instant.now().getEpochSecond(), model);
    }
}
