package org.tsr.generator.openai;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.tsr.inference.testing.TinyModelFixture;
import org.tsr.store.lineage.ModelGenerationRepository;

/**
 * The tiny model behind the OpenAI-compatible endpoints, and request bodies for it: what the request tests share (one
 * Spring context for all of them).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "tsr.generator.worker-threads=0")
abstract class TinyModelRequests {

    static final String PROMPT = "sort: cba";

    @Value("${local.server.port}")
    int port;

    @Value("${tsr.service-auth.token}")
    String serviceToken;

    @Autowired
    ModelGenerationRepository generations;

    OpenAiHttp http;
    String model;

    @BeforeEach
    void tinyModel() {
        model = "generation-" + TinyModelFixture.register(generations).getId();
        http = new OpenAiHttp(port, serviceToken);
    }

    String chat(String fields) {
        return "{\"model\": \"" + model + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + PROMPT + "\"}]"
                + fields + "}";
    }

    String completion(String fields) {
        return "{\"model\": \"" + model + "\", \"prompt\": \"" + PROMPT + "\"" + fields + "}";
    }
}
