package org.tsr.store.pair;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import org.tsr.contract.pairs.PairDataset;

/**
 * A DPO training pair. The database guarantees that both responses answer the pair's prompt, that they are two
 * different responses and that the chosen one scored strictly higher.
 */
@Entity
@Table(name = "preference_pair")
public class PreferencePair {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private Long iterationId;

    @Enumerated(EnumType.STRING)
    private PairDataset dataset;

    private Long promptId;
    private Long chosenResponseId;
    private Long rejectedResponseId;
    private double chosenScore;
    private double rejectedScore;

    @Enumerated(EnumType.STRING)
    private ResponseSource chosenSource;

    @Enumerated(EnumType.STRING)
    private ResponseSource rejectedSource;

    private Double referenceChosenLogp;
    private Double referenceRejectedLogp;
    private Instant createdAt = Instant.now();

    protected PreferencePair() {}

    public PreferencePair(long iterationId, PairDataset dataset, long promptId, Side chosen, Side rejected) {
        this.iterationId = iterationId;
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.promptId = promptId;
        this.chosenResponseId = chosen.responseId();
        this.chosenScore = chosen.score();
        this.chosenSource = chosen.source();
        this.rejectedResponseId = rejected.responseId();
        this.rejectedScore = rejected.score();
        this.rejectedSource = rejected.source();
    }

    /** One side of a pair: the response, its score and the model that sampled it. */
    public record Side(long responseId, double score, ResponseSource source) {
        public Side {
            Objects.requireNonNull(source, "source");
        }
    }

    /** Records the reference model's summed log-probabilities, computed once per dataset before DPO. */
    public void recordReferenceLogps(double chosen, double rejected) {
        this.referenceChosenLogp = chosen;
        this.referenceRejectedLogp = rejected;
    }

    public Long getId() {
        return id;
    }

    public Long getIterationId() {
        return iterationId;
    }

    public PairDataset getDataset() {
        return dataset;
    }

    public Long getPromptId() {
        return promptId;
    }

    public Long getChosenResponseId() {
        return chosenResponseId;
    }

    public Long getRejectedResponseId() {
        return rejectedResponseId;
    }

    public double getChosenScore() {
        return chosenScore;
    }

    public double getRejectedScore() {
        return rejectedScore;
    }

    public ResponseSource getChosenSource() {
        return chosenSource;
    }

    public ResponseSource getRejectedSource() {
        return rejectedSource;
    }

    public Double getReferenceChosenLogp() {
        return referenceChosenLogp;
    }

    public Double getReferenceRejectedLogp() {
        return referenceRejectedLogp;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
