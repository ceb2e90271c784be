package org.tsr.pairing.curation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tsr.store.pair.ResponseSource.ANCHOR;
import static org.tsr.store.pair.ResponseSource.FUTURE;
import static org.tsr.store.pair.ResponseSource.POLICY;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.tsr.store.pair.ResponseSource;

/**
 * Hand-made score tables for one prompt. Response ids encode the source: 1x policy, 2x anchor, 3x future; the last
 * digit is the sample index.
 */
class PairRulesTest {

    final PairRules rules = PairRules.withDefaultTieBreaks();

    static Candidate policy(int sample, Double score) {
        return candidate(POLICY, 10, sample, score, 0.0, 20);
    }

    static Candidate anchor(int sample, Double score) {
        return candidate(ANCHOR, 20, sample, score, 0.0, 20);
    }

    static Candidate future(int sample, Double score) {
        return candidate(FUTURE, 30, sample, score, 0.0, 20);
    }

    static Candidate candidate(
            ResponseSource source, int idBase, int sample, Double score, double variance, int tokens) {
        return new Candidate(idBase + sample, source, score, variance, tokens, sample);
    }

    static List<Candidate> scores(ResponseSource source, Double... scores) {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            list.add(
                    switch (source) {
                        case POLICY -> policy(i, scores[i]);
                        case ANCHOR -> anchor(i, scores[i]);
                        case FUTURE -> future(i, scores[i]);
                    });
        }
        return list;
    }

    @Nested
    class SelfRewarding {

        @Test
        void choosesTheBestAndRejectsTheWorst() {
            Selection selection =
                    rules.selfRewarding(scores(POLICY, 3.0, 4.5, 1.0, 2.0)).orElseThrow();

            assertThat(selection.chosen().responseId()).isEqualTo(11);
            assertThat(selection.rejected().responseId()).isEqualTo(12);
            assertThat(selection.isKept()).isTrue();
        }

        @Test
        void allTiesGiveNoPair() {
            Selection selection =
                    rules.selfRewarding(scores(POLICY, 3.0, 3.0, 3.0)).orElseThrow();

            assertThat(selection.isKept()).isFalse();
            assertThat(selection.chosen().responseId())
                    .isNotEqualTo(selection.rejected().responseId());
        }

        @Test
        void unscoredResponsesTakeNoPartAndFewerThanTwoScoredGiveNothing() {
            assertThat(rules.selfRewarding(scores(POLICY, null, 4.0, null))).isEmpty();
            assertThat(rules.selfRewarding(List.of())).isEmpty();
            assertThat(rules.selfRewarding(scores(POLICY, null, 4.0, 2.0))
                            .orElseThrow()
                            .rejected()
                            .responseId())
                    .isEqualTo(12);
        }
    }

    @Nested
    class TieBreaks {

        @Test
        void equalScoresPreferLowerVarianceThenShorterThenLowerSampleIndex() {
            List<Candidate> policy = List.of(
                    candidate(POLICY, 10, 0, 5.0, 0.5, 10), // best score, unsure judge
                    candidate(POLICY, 10, 1, 5.0, 0.0, 30), // best score, sure judge, long
                    candidate(POLICY, 10, 2, 5.0, 0.0, 12), // best score, sure judge, short: chosen
                    candidate(POLICY, 10, 3, 1.0, 0.0, 40),
                    candidate(POLICY, 10, 4, 1.0, 0.0, 15), // worst, sure, shorter: rejected
                    candidate(POLICY, 10, 5, 1.0, 0.2, 5));

            Selection selection = rules.selfRewarding(policy).orElseThrow();

            assertThat(selection.chosen().responseId()).isEqualTo(12);
            assertThat(selection.rejected().responseId()).isEqualTo(14);
        }

        @Test
        void sampleIndexDecidesWhenEverythingElseIsEqual() {
            Selection selection =
                    rules.selfRewarding(scores(POLICY, 2.0, 4.0, 4.0, 2.0)).orElseThrow();

            assertThat(selection.chosen().responseId()).isEqualTo(11);
            assertThat(selection.rejected().responseId()).isEqualTo(10);
        }

        @Test
        void orderIsConfigurable() {
            PairRules shortestFirst = new PairRules(List.of(TieBreak.SHORTER, TieBreak.LOWER_VARIANCE));
            List<Candidate> policy = List.of(
                    candidate(POLICY, 10, 0, 5.0, 0.0, 30), candidate(POLICY, 10, 1, 5.0, 0.5, 10), policy(2, 1.0));

            assertThat(shortestFirst
                            .selfRewarding(policy)
                            .orElseThrow()
                            .chosen()
                            .responseId())
                    .isEqualTo(11);
            assertThat(rules.selfRewarding(policy).orElseThrow().chosen().responseId())
                    .isEqualTo(10);
        }
    }

    @Nested
    class AnchoredRejection {

        @Test
        void rejectsTheAnchorWhenItScoredStrictlyBelowThePolicysWorst() {
            Selection selection = rules.anchoredRejection(scores(POLICY, 4.0, 2.0, 3.0), scores(ANCHOR, 3.0, 1.0))
                    .orElseThrow();

            assertThat(selection.chosen().responseId()).isEqualTo(10);
            assertThat(selection.rejected().responseId()).isEqualTo(21);
            assertThat(selection.rejected().source()).isEqualTo(ANCHOR);
        }

        @Test
        void keepsThePolicysWorstWhenTheAnchorIsNotLower() {
            Selection selection = rules.anchoredRejection(scores(POLICY, 4.0, 2.0), scores(ANCHOR, 2.5, 3.0))
                    .orElseThrow();

            assertThat(selection.rejected().responseId()).isEqualTo(11);
        }

        @Test
        void equalScoresAcrossSourcesKeepThePolicysWorst() {
            Selection selection = rules.anchoredRejection(scores(POLICY, 4.0, 2.0), scores(ANCHOR, 2.0, 2.0))
                    .orElseThrow();

            assertThat(selection.rejected().source()).isEqualTo(POLICY);
        }

        @Test
        void missingAnchorFallsBackToSelfRewarding() {
            Selection withoutAnchor =
                    rules.anchoredRejection(scores(POLICY, 1.0, 5.0), List.of()).orElseThrow();
            Selection unscoredAnchor = rules.anchoredRejection(scores(POLICY, 1.0, 5.0), scores(ANCHOR, null, null))
                    .orElseThrow();

            assertThat(withoutAnchor)
                    .isEqualTo(rules.selfRewarding(scores(POLICY, 1.0, 5.0)).orElseThrow());
            assertThat(unscoredAnchor).isEqualTo(withoutAnchor);
        }

        @Test
        void allTiesGiveASelectionThatIsNotKept() {
            Selection selection = rules.anchoredRejection(scores(POLICY, 3.0, 3.0), scores(ANCHOR, 3.0))
                    .orElseThrow();

            assertThat(selection.isKept()).isFalse();
        }

        @Test
        void singleScoredPolicyResponseNeedsALowerAnchor() {
            assertThat(rules.anchoredRejection(scores(POLICY, 4.0, null), scores(ANCHOR, 4.0)))
                    .isEmpty();
            Selection selection = rules.anchoredRejection(scores(POLICY, 4.0, null), scores(ANCHOR, 2.0))
                    .orElseThrow();
            assertThat(selection.rejected().source()).isEqualTo(ANCHOR);
        }

        @Test
        void noScoredPolicyResponseGivesNothing() {
            assertThat(rules.anchoredRejection(scores(POLICY, null, null), scores(ANCHOR, 1.0, 2.0)))
                    .isEmpty();
        }
    }

    @Nested
    class FutureGuidedChosen {

        final Selection phaseOne = new Selection(policy(0, 4.0), anchor(1, 1.0));

        @Test
        void betterFutureResponseBecomesTheChosen() {
            Selection selection = rules.futureGuidedChosen(phaseOne, scores(FUTURE, 3.0, 4.5, 5.0));

            assertThat(selection.chosen().responseId()).isEqualTo(32);
            assertThat(selection.chosen().source()).isEqualTo(FUTURE);
            assertThat(selection.rejected()).isEqualTo(phaseOne.rejected());
        }

        @Test
        void worseOrEqualFutureModelChangesNothing() {
            assertThat(rules.futureGuidedChosen(phaseOne, scores(FUTURE, 2.0, 3.5)))
                    .isEqualTo(phaseOne);
            assertThat(rules.futureGuidedChosen(phaseOne, scores(FUTURE, 4.0))).isEqualTo(phaseOne);
            assertThat(rules.futureGuidedChosen(phaseOne, scores(FUTURE, null, null)))
                    .isEqualTo(phaseOne);
        }

        @Test
        void rescuesAPromptWhosePhaseOneSelectionWasATie() {
            Selection tie =
                    rules.anchoredRejection(scores(POLICY, 3.0, 3.0), List.of()).orElseThrow();

            Selection selection = rules.futureGuidedChosen(tie, scores(FUTURE, 4.0));

            assertThat(tie.isKept()).isFalse();
            assertThat(selection.isKept()).isTrue();
            assertThat(selection.chosen().source()).isEqualTo(FUTURE);
            assertThat(selection.rejected().source()).isEqualTo(POLICY);
        }
    }

    @Test
    void refusesResponsesFromTheWrongSource() {
        assertThatThrownBy(() -> rules.anchoredRejection(scores(ANCHOR, 1.0, 2.0), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("response 20 is a ANCHOR response, expected POLICY");
    }
}
