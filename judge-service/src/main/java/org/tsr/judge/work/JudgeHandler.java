package org.tsr.judge.work;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.contract.work.JudgeWork;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.judge.Judge;
import org.tsr.judge.NoisyOracle;
import org.tsr.judge.rubric.JudgeTemplate;
import org.tsr.store.judgment.Judgment;
import org.tsr.store.judgment.JudgmentWriter;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.NamedRows;
import org.tsr.store.workqueue.PermanentWorkFailure;
import org.tsr.store.workqueue.WorkHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judges the responses of a JUDGE unit and stores every judgment, valid or not, when the unit completes. Unparseable
 * and out-of-range judgments keep their raw text and the reason; they count as missing in the response's score.
 */
@Component
class JudgeHandler implements WorkHandler {

    private final Judge judge;
    private final ResponseRepository responses;
    private final PromptRepository prompts;
    private final JudgmentWriter judgments;
    private final JudgeProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    JudgeHandler(
            Judge judge,
            ResponseRepository responses,
            PromptRepository prompts,
            JudgmentWriter judgments,
            JudgeProperties properties) {
        this.judge = judge;
        this.responses = responses;
        this.prompts = prompts;
        this.judgments = judgments;
        this.properties = properties;
    }

    @Override
    public Runnable process(ClaimedUnit unit) {
        JudgeWork task = parse(unit);
        JudgeTemplate template =
                task.template() == null ? JudgeTemplate.additiveRubric() : JudgeTemplate.of(task.template());
        SamplingSettings settings = new SamplingSettings(
                task.samples(), task.temperature(), 1.0, 0, task.maxTokens(), List.of(), task.seed());
        NoisyOracle noise = task.oracleAccuracy() == null ? null : new NoisyOracle(task.oracleAccuracy(), task.seed());
        List<Response> toJudge = load(task.responseIds());
        Map<Long, Prompt> promptsById =
                prompts
                        .findAllById(toJudge.stream()
                                .map(Response::getPromptId)
                                .distinct()
                                .toList())
                        .stream()
                        .collect(Collectors.toMap(Prompt::getId, Function.identity()));
        List<Judgment> rows = new ArrayList<>();
        int batch = Math.max(1, properties.batchResponses());
        for (int from = 0; from < toJudge.size(); from += batch) {
            List<Response> slice = toJudge.subList(from, Math.min(toJudge.size(), from + batch));
            List<Judge.Item> items = slice.stream()
                    .map(r -> {
                        Prompt prompt = promptsById.get(r.getPromptId());
                        return new Judge.Item(
                                prompt.getText(),
                                r.getText(),
                                prompt.getTaskFamily(),
                                prompt.getReferenceAnswer(),
                                r.getId());
                    })
                    .toList();
            List<List<Judge.Sample>> judged;
            try {
                judged = judge.judge(
                        task.judgeGenerationId(),
                        items,
                        template,
                        settings,
                        task.modelRole(),
                        noise,
                        Boolean.TRUE.equals(task.expectedScore()));
            } catch (UnknownGenerationException | IllegalArgumentException e) {
                // a missing judge or a judge prompt the model cannot take fails the same way on every attempt
                throw new PermanentWorkFailure(e.getMessage(), e);
            }
            for (int i = 0; i < slice.size(); i++) {
                long responseId = slice.get(i).getId();
                for (Judge.Sample sample : judged.get(i)) {
                    Judgment row = sample.score().isValid()
                            ? Judgment.scored(
                                    responseId,
                                    task.judgeGenerationId(),
                                    sample.sampleIndex(),
                                    sample.text(),
                                    sample.score().score())
                            : Judgment.unparseable(
                                    responseId,
                                    task.judgeGenerationId(),
                                    sample.sampleIndex(),
                                    sample.text(),
                                    sample.score().failure());
                    rows.add(
                            sample.promptTokens() == null
                                    ? row
                                    : row.withTokens(sample.promptTokens(), sample.completionTokens()));
                }
            }
        }
        return () -> judgments.saveAll(rows);
    }

    private List<Response> load(List<Long> ids) {
        return NamedRows.inOrder("responses", ids, responses.findAllById(ids), Response::getId);
    }

    private JudgeWork parse(ClaimedUnit unit) {
        JudgeWork task;
        try {
            task = json.readValue(unit.payload(), JudgeWork.class);
        } catch (JacksonException e) {
            throw new PermanentWorkFailure(
                    "JUDGE unit " + unit.id() + " has an unreadable payload: " + e.getOriginalMessage(), e);
        }
        if (task.responseIds() == null || task.responseIds().isEmpty() || task.modelRole() == null) {
            throw new PermanentWorkFailure("JUDGE unit " + unit.id() + " needs responseIds and a modelRole");
        }
        try {
            if (task.template() != null) {
                JudgeTemplate.of(task.template());
            }
            new SamplingSettings(task.samples(), task.temperature(), 1.0, 0, task.maxTokens(), List.of(), task.seed());
            if (task.oracleAccuracy() != null) {
                new NoisyOracle(task.oracleAccuracy(), task.seed());
            }
        } catch (IllegalArgumentException e) {
            throw new PermanentWorkFailure("JUDGE unit " + unit.id() + ": " + e.getMessage(), e);
        }
        return task;
    }
}
