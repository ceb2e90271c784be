package org.tsr.trainer.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.store.prompt.Prompt;
import org.tsr.store.prompt.PromptRepository;
import org.tsr.store.prompt.PromptSplit;
import org.tsr.store.response.Response;
import org.tsr.store.response.ResponseRepository;

/** A job's examples as text, read from the store. */
@Component
public class TrainingData {

    /** A stored pair with the texts it compares. */
    public record TextPair(PreferencePair row, String prompt, String chosen, String rejected) {}

    /** A prompt and the answer to learn. */
    public record TextExample(String prompt, String response) {}

    private final PreferencePairRepository pairs;
    private final PromptRepository prompts;
    private final ResponseRepository responses;

    TrainingData(PreferencePairRepository pairs, PromptRepository prompts, ResponseRepository responses) {
        this.pairs = pairs;
        this.prompts = prompts;
        this.responses = responses;
    }

    public List<TextPair> pairs(DatasetSpec spec) {
        PairDataset dataset = parse(PairDataset.class, "dataset.dataset", spec.dataset());
        List<PreferencePair> rows = pairs.findByIterationIdAndDatasetOrderByPromptId(spec.iterationId(), dataset);
        if (rows.isEmpty()) {
            throw InvalidTrainingJobException.invalid(
                    "dataset", "iteration " + spec.iterationId() + " has no " + dataset + " pairs to train on");
        }
        Map<Long, Prompt> promptsById = byId(prompts.findAllById(
                rows.stream().map(PreferencePair::getPromptId).distinct().toList()));
        List<Long> responseIds = new ArrayList<>();
        rows.forEach(row -> {
            responseIds.add(row.getChosenResponseId());
            responseIds.add(row.getRejectedResponseId());
        });
        Map<Long, Response> responsesById = responses.findAllById(responseIds).stream()
                .collect(Collectors.toMap(Response::getId, Function.identity()));
        return rows.stream()
                .map(row -> new TextPair(
                        row,
                        promptsById.get(row.getPromptId()).getText(),
                        responsesById.get(row.getChosenResponseId()).getText(),
                        responsesById.get(row.getRejectedResponseId()).getText()))
                .toList();
    }

    /** The prompts of the set's splits that have a reference answer (IFT and EFT unless the spec names others). */
    public List<TextExample> examples(DatasetSpec spec) {
        List<String> splits = spec.splits() == null || spec.splits().isEmpty() ? List.of("IFT", "EFT") : spec.splits();
        List<TextExample> examples = new ArrayList<>();
        for (String split : splits) {
            PromptSplit parsed = parse(PromptSplit.class, "dataset.splits", split);
            for (Prompt prompt : prompts.findByPromptSetIdAndSplitOrderByPosition(spec.promptSetId(), parsed)) {
                if (prompt.getReferenceAnswer() != null
                        && !prompt.getReferenceAnswer().isEmpty()) {
                    examples.add(new TextExample(prompt.getText(), prompt.getReferenceAnswer()));
                }
            }
        }
        if (examples.isEmpty()) {
            throw InvalidTrainingJobException.invalid(
                    "dataset",
                    "prompt set " + spec.promptSetId() + " has no " + splits + " prompts with a reference answer");
        }
        return examples;
    }

    private static Map<Long, Prompt> byId(List<Prompt> list) {
        return list.stream().collect(Collectors.toMap(Prompt::getId, Function.identity()));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw InvalidTrainingJobException.invalid(
                    field,
                    field + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got " + value);
        }
    }
}
