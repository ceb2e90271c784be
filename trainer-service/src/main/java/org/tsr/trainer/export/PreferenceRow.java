package org.tsr.trainer.export;

/**
 * One preference pair as text, with the reference model's summed log-probabilities of each response when they are
 * known.
 */
public record PreferenceRow(
        String prompt, String chosen, String rejected, Double referenceChosenLogp, Double referenceRejectedLogp) {

    public boolean hasReference() {
        return referenceChosenLogp != null && referenceRejectedLogp != null;
    }
}
