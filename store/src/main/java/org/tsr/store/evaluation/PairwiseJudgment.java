package org.tsr.store.evaluation;

/**
 * One comparison of an evaluated response with a reference response to the same prompt, asked in both orders.
 *
 * @param forwardChoice with the evaluated response shown first: 1 (it), 2 (the reference) or 0 (no readable choice)
 * @param reversedChoice with the reference shown first: 1 (the reference), 2 (the evaluated response) or 0
 */
public record PairwiseJudgment(
        long iterationId,
        long judgeGenerationId,
        long responseId,
        long referenceResponseId,
        int forwardChoice,
        int reversedChoice,
        String forwardText,
        String reversedText) {

    public PairwiseJudgment {
        if (forwardChoice < 0 || forwardChoice > 2 || reversedChoice < 0 || reversedChoice > 2) {
            throw new IllegalArgumentException(
                    "a choice is 0, 1 or 2, got " + forwardChoice + " and " + reversedChoice);
        }
    }

    /**
     * The evaluated response's share of the two orders: 1 per order that prefers it, 0 per order that prefers the
     * reference, and one half per order without a readable choice. 1, 0.5 or 0 when both orders were read.
     */
    public double evaluatedScore() {
        double forward = forwardChoice == 1 ? 1 : forwardChoice == 2 ? 0 : 0.5;
        double reversed = reversedChoice == 2 ? 1 : reversedChoice == 1 ? 0 : 0.5;
        return (forward + reversed) / 2;
    }
}
