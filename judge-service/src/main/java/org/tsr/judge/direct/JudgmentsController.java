package org.tsr.judge.direct;

import jakarta.validation.Valid;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.judge.Judge;
import org.tsr.judge.rubric.JudgeTemplate;

/** Direct use: judge a few responses now, without a run or the work queue. Nothing is stored. */
@RestController
class JudgmentsController {

    private final Judge judge;

    JudgmentsController(Judge judge) {
        this.judge = judge;
    }

    @PostMapping("/judgments")
    JudgmentResponse judge(@Valid @RequestBody JudgmentRequest request) {
        JudgeTemplate template =
                request.template() == null ? JudgeTemplate.additiveRubric() : JudgeTemplate.of(request.template());
        SamplingSettings settings = new SamplingSettings(
                request.samples() == null ? 3 : request.samples(),
                request.temperature() == null ? 0.7 : request.temperature(),
                1.0,
                0,
                request.maxTokens() == null ? 256 : request.maxTokens(),
                List.of(),
                request.seed() == null ? 0 : request.seed());
        List<Judge.Item> items = request.items().stream()
                .map(item -> new Judge.Item(item.prompt(), item.response()))
                .toList();
        List<List<Judge.Sample>> judged = judge.judge(request.judgeGenerationId(), items, template, settings, "direct");
        List<JudgmentResponse.Result> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            results.add(result(items.get(i), judged.get(i)));
        }
        return new JudgmentResponse(request.judgeGenerationId(), results);
    }

    private static JudgmentResponse.Result result(Judge.Item item, List<Judge.Sample> samples) {
        double[] valid = samples.stream()
                .filter(s -> s.score().isValid())
                .mapToDouble(s -> s.score().score())
                .toArray();
        Double mean = valid.length == 0
                ? null
                : java.util.Arrays.stream(valid).average().orElseThrow();
        double variance = mean == null
                ? 0
                : java.util.Arrays.stream(valid)
                                .map(v -> (v - mean) * (v - mean))
                                .sum()
                        / valid.length;
        List<JudgmentResponse.Judged> judgments = samples.stream()
                .map(s -> new JudgmentResponse.Judged(
                        s.sampleIndex(), s.text(), s.score().score(), s.score().failure()))
                .toList();
        return new JudgmentResponse.Result(item.prompt(), item.response(), mean, variance, valid.length, judgments);
    }
}
