package org.tsr.generator.direct;

import jakarta.validation.Valid;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.generator.Sampler;
import org.tsr.inference.GeneratedText;

/** Direct use: answer a few prompts now, without a run or the work queue. Nothing is stored. */
@RestController
class CompletionsController {

    private final Sampler sampler;

    CompletionsController(Sampler sampler) {
        this.sampler = sampler;
    }

    @PostMapping("/completions")
    CompletionResponse generate(@Valid @RequestBody CompletionRequest request) {
        SamplingSettings settings = request.sampling() == null
                ? new SamplingRequest(null, null, null, null, null, null, null).toSettings()
                : request.sampling().toSettings();
        boolean chat = request.chat() == null || request.chat();
        List<List<GeneratedText>> samples = chat
                ? sampler.chat(request.generationId(), "direct", Sampler.asUserTurns(request.prompts()), settings)
                : sampler.complete(request.generationId(), "direct", request.prompts(), settings);
        List<CompletionResponse.PromptSamples> results = new ArrayList<>();
        for (int p = 0; p < request.prompts().size(); p++) {
            results.add(new CompletionResponse.PromptSamples(
                    request.prompts().get(p),
                    samples.get(p).stream()
                            .map(s -> new CompletionResponse.Sample(
                                    s.sampleIndex(), s.text(), s.finishReason().apiName(), s.completionTokens()))
                            .toList()));
        }
        return new CompletionResponse(request.generationId(), results);
    }
}
