package org.tsr.engine.training.dpo;

/**
 * A DPO pair as token ids, with the reference model's summed log-probabilities of both responses once computed
 * (null before).
 */
public record PreferenceExample(
        long[] promptIds,
        long[] chosenIds,
        long[] rejectedIds,
        Double referenceChosenLogp,
        Double referenceRejectedLogp) {

    public PreferenceExample {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("a pair's prompt needs at least one token");
        }
        if ((referenceChosenLogp == null) != (referenceRejectedLogp == null)) {
            throw new IllegalArgumentException("reference log-probabilities come for both responses or neither");
        }
    }

    public static PreferenceExample of(long[] promptIds, long[] chosenIds, long[] rejectedIds) {
        return new PreferenceExample(promptIds, chosenIds, rejectedIds, null, null);
    }

    public PreferenceExample withReference(double chosenLogp, double rejectedLogp) {
        return new PreferenceExample(promptIds, chosenIds, rejectedIds, chosenLogp, rejectedLogp);
    }

    public boolean hasReference() {
        return referenceChosenLogp != null;
    }
}
