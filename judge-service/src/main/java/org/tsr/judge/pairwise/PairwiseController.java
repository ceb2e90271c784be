package org.tsr.judge.pairwise;

import jakarta.validation.Valid;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.contract.sampling.SamplingSettings;

/** Direct use of the pairwise mode: which of two responses is better, asked in both orders. */
@RestController
class PairwiseController {

    private final PairwiseJudge judge;

    PairwiseController(PairwiseJudge judge) {
        this.judge = judge;
    }

    @PostMapping("/judgments/pairwise")
    Map<String, Object> compare(@Valid @RequestBody PairwiseRequest request) {
        PairwiseTemplate template =
                request.template() == null ? PairwiseTemplate.standard() : PairwiseTemplate.of(request.template());
        SamplingSettings settings = new SamplingSettings(
                1,
                request.temperature() == null ? 0 : request.temperature(),
                1.0,
                0,
                request.maxTokens() == null ? 256 : request.maxTokens(),
                List.of(),
                request.seed() == null ? 0 : request.seed());
        List<PairwiseJudge.Pair> pairs = request.pairs().stream()
                .map(p -> new PairwiseJudge.Pair(p.prompt(), p.first(), p.second()))
                .toList();
        List<Map<String, Object>> results = judge.judge(request.judgeGenerationId(), pairs, template, settings).stream()
                .map(judged -> Map.<String, Object>of(
                        "verdict", judged.verdict().name().toLowerCase(Locale.ROOT),
                        "forwardText", judged.forwardText(),
                        "reversedText", judged.reversedText()))
                .toList();
        return Map.of("judgeGenerationId", request.judgeGenerationId(), "results", results);
    }
}
