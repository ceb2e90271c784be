package org.tsr.generator.work;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.contract.work.GenerateWork;
import org.tsr.generator.Sampler;
import org.tsr.inference.GeneratedText;
import org.tsr.inference.UnknownGenerationException;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.response.NewResponse;
import org.tsr.store.response.ResponseWriter;
import org.tsr.store.workqueue.ClaimedUnit;
import org.tsr.store.workqueue.NamedRows;
import org.tsr.store.workqueue.PermanentWorkFailure;
import org.tsr.store.workqueue.WorkHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Samples the responses of a GENERATE unit, a batch of prompts at a time, and stores them when the unit completes.
 * Sampling is seeded per prompt, so a retried unit samples the same responses and the store's uniqueness rule keeps
 * one row per sample.
 */
@Component
class GenerateHandler implements WorkHandler {

    private final Sampler sampler;
    private final PromptRepository prompts;
    private final ResponseWriter responses;
    private final GeneratorProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    GenerateHandler(
            Sampler sampler, PromptRepository prompts, ResponseWriter responses, GeneratorProperties properties) {
        this.sampler = sampler;
        this.prompts = prompts;
        this.responses = responses;
        this.properties = properties;
    }

    @Override
    public Runnable process(ClaimedUnit unit) {
        GenerateWork task = parse(unit);
        List<Prompt> ordered = load(task.promptIds());
        List<NewResponse> rows = new ArrayList<>();
        int batch = Math.max(1, properties.batchPrompts());
        for (int from = 0; from < ordered.size(); from += batch) {
            List<Prompt> slice = ordered.subList(from, Math.min(ordered.size(), from + batch));
            List<String> texts = slice.stream().map(Prompt::getText).toList();
            List<List<GeneratedText>> samples;
            try {
                samples = task.chat()
                        ? sampler.chat(
                                task.generationId(), task.purpose().name(), Sampler.asUserTurns(texts), task.sampling())
                        : sampler.complete(task.generationId(), task.purpose().name(), texts, task.sampling());
            } catch (UnknownGenerationException | IllegalArgumentException e) {
                // a missing model or a prompt longer than its context fails the same way on every attempt
                throw new PermanentWorkFailure(e.getMessage(), e);
            }
            for (int p = 0; p < slice.size(); p++) {
                for (GeneratedText sample : samples.get(p)) {
                    rows.add(new NewResponse(
                            slice.get(p).getId(),
                            task.generationId(),
                            task.iterationId(),
                            task.purpose(),
                            sample.sampleIndex(),
                            sample.text(),
                            sample.completionTokens(),
                            sample.finishReason()));
                }
            }
        }
        return () -> responses.saveAll(rows);
    }

    private List<Prompt> load(List<Long> ids) {
        return NamedRows.inOrder("prompts", ids, prompts.findAllById(ids), Prompt::getId);
    }

    private GenerateWork parse(ClaimedUnit unit) {
        try {
            GenerateWork task = json.readValue(unit.payload(), GenerateWork.class);
            if (task.purpose() == null
                    || task.sampling() == null
                    || task.promptIds() == null
                    || task.promptIds().isEmpty()) {
                throw new PermanentWorkFailure("GENERATE unit " + unit.id()
                        + " needs a purpose, sampling settings and at least one prompt id");
            }
            return task;
        } catch (JacksonException e) {
            throw new PermanentWorkFailure(
                    "GENERATE unit " + unit.id() + " has an unreadable payload: " + e.getOriginalMessage(), e);
        }
    }
}
