package org.tsr.pairing.curation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tsr.contract.pairs.PairDataset;
import org.tsr.contract.responses.ResponsePurpose;
import org.tsr.store.judgment.JudgedResponse;
import org.tsr.store.pair.ResponseSource;

/** Applies one dataset's rule to every prompt of an iteration. */
public final class DatasetCuration {

    private final PairRules rules;

    public DatasetCuration(PairRules rules) {
        this.rules = rules;
    }

    /** The purposes of the responses a dataset's rule reads. */
    public static Set<ResponsePurpose> purposesFor(PairDataset dataset) {
        return switch (dataset) {
            case SR -> EnumSet.of(ResponsePurpose.POLICY);
            case D1 -> EnumSet.of(ResponsePurpose.POLICY, ResponsePurpose.ANCHOR);
            case D2 -> EnumSet.of(ResponsePurpose.POLICY, ResponsePurpose.ANCHOR, ResponsePurpose.FUTURE);
        };
    }

    /** The selection for each prompt that has one (kept or a tie), in prompt order, and their diagnostics. */
    public Result curate(PairDataset dataset, List<JudgedResponse> responses) {
        Map<Long, PromptResponses> byPrompt = new LinkedHashMap<>();
        for (JudgedResponse response : responses) {
            byPrompt.computeIfAbsent(response.promptId(), id -> new PromptResponses())
                    .add(response);
        }
        List<PromptSelection> selections = new ArrayList<>();
        byPrompt.forEach((promptId, group) -> select(dataset, group)
                .ifPresent(selection -> selections.add(new PromptSelection(promptId, selection))));
        DatasetDiagnostics diagnostics = DatasetDiagnostics.of(
                byPrompt.size(),
                selections.stream().map(PromptSelection::selection).toList());
        return new Result(selections, diagnostics);
    }

    private Optional<Selection> select(PairDataset dataset, PromptResponses group) {
        return switch (dataset) {
            case SR -> rules.selfRewarding(group.policy);
            case D1 -> rules.anchoredRejection(group.policy, group.anchor);
            case D2 ->
                rules.anchoredRejection(group.policy, group.anchor)
                        .map(phaseOne -> rules.futureGuidedChosen(phaseOne, group.future));
        };
    }

    /** A prompt and the selection its responses gave. */
    public record PromptSelection(long promptId, Selection selection) {}

    public record Result(List<PromptSelection> selections, DatasetDiagnostics diagnostics) {

        public List<PromptSelection> pairs() {
            return selections.stream().filter(s -> s.selection().isKept()).toList();
        }
    }

    private static final class PromptResponses {
        final List<Candidate> policy = new ArrayList<>();
        final List<Candidate> anchor = new ArrayList<>();
        final List<Candidate> future = new ArrayList<>();

        void add(JudgedResponse response) {
            ResponseSource source = switch (response.purpose()) {
                case POLICY -> ResponseSource.POLICY;
                case ANCHOR -> ResponseSource.ANCHOR;
                case FUTURE -> ResponseSource.FUTURE;
                case EVAL ->
                    throw new IllegalArgumentException(
                            "evaluation response " + response.responseId() + " cannot be paired");
            };
            Candidate candidate = new Candidate(
                    response.responseId(),
                    source,
                    response.validJudgments() > 0 ? response.meanScore() : null,
                    response.scoreVariance(),
                    response.tokenCount(),
                    response.sampleIndex());
            switch (source) {
                case POLICY -> policy.add(candidate);
                case ANCHOR -> anchor.add(candidate);
                case FUTURE -> future.add(candidate);
            }
        }
    }
}
