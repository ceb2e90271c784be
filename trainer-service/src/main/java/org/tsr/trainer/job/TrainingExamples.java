package org.tsr.trainer.job;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.tsr.contract.training.DatasetSpec;
import org.tsr.contract.training.TrainingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.training.ExampleEncoder;
import org.tsr.engine.training.InvalidTrainingOptionException;
import org.tsr.engine.training.dpo.PreferenceExample;
import org.tsr.engine.training.dpo.ReferenceLogProbs;
import org.tsr.store.pair.PreferencePair;
import org.tsr.store.pair.PreferencePairRepository;
import org.tsr.trainer.TrainerProperties;

/**
 * A job's dataset as the engine trains on it: SFT examples, or preference pairs with the reference model's
 * log-probabilities, encoded as the generator sampled them (chat template or raw text, cut to the job's length).
 * The reference values are computed once per dataset and stored with the pairs, so a later attempt reuses them.
 */
@Component
class TrainingExamples {

    private final TrainingData data;
    private final PreferencePairRepository pairs;
    private final TransactionTemplate transactions;
    private final TrainerProperties properties;

    TrainingExamples(
            TrainingData data,
            PreferencePairRepository pairs,
            TransactionTemplate transactions,
            TrainerProperties properties) {
        this.data = data;
        this.pairs = pairs;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** The prompts and reference answers of an SFT dataset, encoded for the model. */
    List<PromptResponse> sft(LanguageModel model, DatasetSpec spec, TrainingSettings settings) {
        ExampleEncoder encoder = encoder(model, settings);
        return data.examples(spec).stream()
                .map(text -> encoder.encode(text.prompt(), text.response()))
                .toList();
    }

    /** The pairs of a DPO dataset as stored, before they are encoded. */
    List<TrainingData.TextPair> pairTexts(DatasetSpec spec) {
        return data.pairs(spec);
    }

    /** The pairs encoded for the policy, each with its reference log-probabilities. */
    List<PreferenceExample> dpo(
            LanguageModel policy,
            List<TrainingData.TextPair> texts,
            List<double[]> reference,
            TrainingSettings settings) {
        List<PreferenceExample> examples = encodePairs(policy, texts, settings);
        List<PreferenceExample> withReference = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            withReference.add(
                    examples.get(i).withReference(reference.get(i)[0], reference.get(i)[1]));
        }
        return withReference;
    }

    /** The reference log-probabilities stored with every pair, or null if any pair lacks them. */
    static List<double[]> storedReference(List<TrainingData.TextPair> texts) {
        List<double[]> stored = new ArrayList<>(texts.size());
        for (TrainingData.TextPair text : texts) {
            PreferencePair row = text.row();
            if (row.getReferenceChosenLogp() == null || row.getReferenceRejectedLogp() == null) {
                return null;
            }
            stored.add(new double[] {row.getReferenceChosenLogp(), row.getReferenceRejectedLogp()});
        }
        return stored;
    }

    /** Scores every pair with the reference and stores the values with the pairs. */
    List<double[]> computeReference(
            LanguageModel reference, List<TrainingData.TextPair> texts, TrainingSettings settings) {
        List<PreferenceExample> scored = ReferenceLogProbs.compute(
                reference, encodePairs(reference, texts, settings), properties.referenceBatchPairs());
        List<double[]> values = scored.stream()
                .map(pair -> new double[] {pair.referenceChosenLogp(), pair.referenceRejectedLogp()})
                .toList();
        transactions.executeWithoutResult(status -> {
            List<PreferencePair> rows = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                PreferencePair row = pairs.findById(texts.get(i).row().getId()).orElseThrow();
                row.recordReferenceLogps(values.get(i)[0], values.get(i)[1]);
                rows.add(row);
            }
            pairs.saveAll(rows);
        });
        return values;
    }

    private List<PreferenceExample> encodePairs(
            LanguageModel model, List<TrainingData.TextPair> texts, TrainingSettings settings) {
        ExampleEncoder encoder = encoder(model, settings);
        return texts.stream()
                .map(text -> encoder.encodePair(text.prompt(), text.chosen(), text.rejected()))
                .toList();
    }

    private static ExampleEncoder encoder(LanguageModel model, TrainingSettings settings) {
        int maxLength = settings.maxLength() == null
                ? model.config().contextLength()
                : Math.min(settings.maxLength(), model.config().contextLength());
        try {
            return new ExampleEncoder(model, settings.chatFormat(), maxLength);
        } catch (InvalidTrainingOptionException e) {
            throw InvalidTrainingJobException.invalid("hyperparameters." + e.field(), e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw InvalidTrainingJobException.invalid("hyperparameters.chat", e.getMessage(), e);
        }
    }
}
