package org.tsr.judge.work;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.contract.work.PairwiseEvaluationWork;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.judge.pairwise.PairwiseJudge;
import org.tsr.judge.pairwise.PairwiseTemplate;
import org.tsr.store.evaluation.PairwiseJudgment;
import org.tsr.store.evaluation.PairwiseJudgments;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.PermanentWorkFailure;
import org.tsr.store.workqueue.WorkHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs an EVALUATE unit: the judge compares each evaluated response with the reference response to the same prompt,
 * in both orders, and every comparison is stored, its two texts included, when the unit completes.
 */
@Component
class PairwiseEvaluationHandler implements WorkHandler {

    private final PairwiseJudge judge;
    private final ResponseRepository responses;
    private final PromptRepository prompts;
    private final PairwiseJudgments judgments;
    private final JudgeProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    PairwiseEvaluationHandler(
            PairwiseJudge judge,
            ResponseRepository responses,
            PromptRepository prompts,
            PairwiseJudgments judgments,
            JudgeProperties properties) {
        this.judge = judge;
        this.responses = responses;
        this.prompts = prompts;
        this.judgments = judgments;
        this.properties = properties;
    }

    @Override
    public Runnable process(ClaimedUnit unit) {
        PairwiseEvaluationWork task = parse(unit);
        PairwiseTemplate template =
                task.template() == null ? PairwiseTemplate.standard() : PairwiseTemplate.of(task.template());
        SamplingSettings settings =
                new SamplingSettings(1, task.temperature(), 1.0, 0, task.maxTokens(), List.of(), task.seed());
        Map<Long, Response> byId = responses
                .findAllById(task.comparisons().stream()
                        .flatMap(c -> Stream.of(c.responseId(), c.referenceResponseId()))
                        .distinct()
                        .toList())
                .stream()
                .collect(Collectors.toMap(Response::getId, Function.identity()));
        Map<Long, Prompt> promptsById =
                prompts
                        .findAllById(byId.values().stream()
                                .map(Response::getPromptId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Prompt::getId, Function.identity()));
        List<PairwiseJudge.Pair> pairs = new ArrayList<>();
        for (PairwiseEvaluationWork.Comparison comparison : task.comparisons()) {
            Response evaluated = require(byId, comparison.responseId(), unit);
            Response reference = require(byId, comparison.referenceResponseId(), unit);
            if (!evaluated.getPromptId().equals(reference.getPromptId())) {
                throw new PermanentWorkFailure("EVALUATE unit " + unit.id() + " compares response " + evaluated.getId()
                        + " with response " + reference.getId() + " to another prompt");
            }
            pairs.add(new PairwiseJudge.Pair(
                    promptsById.get(evaluated.getPromptId()).getText(), evaluated.getText(), reference.getText()));
        }
        List<PairwiseJudgment> rows = new ArrayList<>();
        int batch = Math.max(1, properties.batchResponses());
        for (int from = 0; from < pairs.size(); from += batch) {
            int to = Math.min(pairs.size(), from + batch);
            List<PairwiseJudge.Judged> judged;
            try {
                judged = judge.judge(task.judgeGenerationId(), pairs.subList(from, to), template, settings);
            } catch (UnknownGenerationException | IllegalArgumentException e) {
                // a missing judge or a judge prompt the model cannot take fails the same way on every attempt
                throw new PermanentWorkFailure(e.getMessage(), e);
            }
            for (int i = from; i < to; i++) {
                PairwiseEvaluationWork.Comparison comparison =
                        task.comparisons().get(i);
                PairwiseJudge.Judged result = judged.get(i - from);
                rows.add(new PairwiseJudgment(
                        task.iterationId(),
                        task.judgeGenerationId(),
                        comparison.responseId(),
                        comparison.referenceResponseId(),
                        PairwiseTemplate.preferred(result.forwardText()),
                        PairwiseTemplate.preferred(result.reversedText()),
                        result.forwardText(),
                        result.reversedText()));
            }
        }
        return () -> judgments.saveAll(rows);
    }

    private static Response require(Map<Long, Response> byId, long id, ClaimedUnit unit) {
        Response response = byId.get(id);
        if (response == null) {
            throw new PermanentWorkFailure("EVALUATE unit " + unit.id() + " names response " + id + ", which is gone");
        }
        return response;
    }

    private PairwiseEvaluationWork parse(ClaimedUnit unit) {
        PairwiseEvaluationWork task;
        try {
            task = json.readValue(unit.payload(), PairwiseEvaluationWork.class);
        } catch (JacksonException e) {
            throw new PermanentWorkFailure(
                    "EVALUATE unit " + unit.id() + " has an unreadable payload: " + e.getOriginalMessage(), e);
        }
        if (task.comparisons() == null || task.comparisons().isEmpty()) {
            throw new PermanentWorkFailure("EVALUATE unit " + unit.id() + " needs comparisons");
        }
        try {
            new SamplingSettings(1, task.temperature(), 1.0, 0, task.maxTokens(), List.of(), task.seed());
            if (task.template() != null) {
                PairwiseTemplate.of(task.template());
            }
        } catch (IllegalArgumentException e) {
            throw new PermanentWorkFailure("EVALUATE unit " + unit.id() + ": " + e.getMessage(), e);
        }
        return task;
    }
}
