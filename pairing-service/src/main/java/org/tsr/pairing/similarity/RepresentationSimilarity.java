package org.tsr.pairing.similarity;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.scoring.ResponseLikelihood;
import org.tsr.engine.scoring.SequenceScorer;
import org.tsr.engine.training.ExampleEncoder;
import org.tsr.inference.ModelBackends;
import org.tsr.inference.TextBackend;
import org.tsr.inference.embedded.EmbeddedBackend;

/**
 * How alike the policy sees a pair's two responses: the cosine similarity of their last-layer hidden states,
 * mean-pooled over each response, averaged over the pairs. The TSR paper watches it converge in SR as chosen and
 * rejected responses come to look the same. Only a model on the embedded engine exposes hidden states.
 */
@Component
public class RepresentationSimilarity {

    private static final int BATCH = 16;
    private static final int MAX_TOKENS = 1024;

    private final ModelBackends backends;

    RepresentationSimilarity(ModelBackends backends) {
        this.backends = backends;
    }

    /** A pair's prompt and its two response texts. */
    public record TextPair(String prompt, String chosen, String rejected) {}

    /** The mean cosine, or why there is none. */
    public record Result(Double meanCosine, String unavailable) {}

    public Result meanCosine(long policyGenerationId, List<TextPair> pairs, boolean chat) {
        if (pairs.isEmpty()) {
            return new Result(null, "no pairs");
        }
        TextBackend backend;
        try {
            backend = backends.backendFor(policyGenerationId);
        } catch (RuntimeException e) {
            return new Result(null, e.getMessage());
        }
        if (!(backend instanceof EmbeddedBackend embedded)) {
            return new Result(null, "the policy runs on a remote server, which does not expose hidden states");
        }
        return embedded.useModel(model -> {
            ExampleEncoder encoder = new ExampleEncoder(
                    model, chat, Math.min(MAX_TOKENS, model.config().contextLength()));
            SequenceScorer scorer = new SequenceScorer(model);
            double sum = 0;
            for (int from = 0; from < pairs.size(); from += BATCH) {
                List<TextPair> slice = pairs.subList(from, Math.min(pairs.size(), from + BATCH));
                List<PromptResponse> batch = new ArrayList<>(slice.size() * 2);
                for (TextPair pair : slice) {
                    batch.add(encoder.encode(pair.prompt(), pair.chosen()));
                    batch.add(encoder.encode(pair.prompt(), pair.rejected()));
                }
                List<ResponseLikelihood> scores = scorer.score(batch, true);
                for (int i = 0; i < slice.size(); i++) {
                    sum += cosine(
                            scores.get(2 * i).meanHiddenState(),
                            scores.get(2 * i + 1).meanHiddenState());
                }
            }
            return new Result(sum / pairs.size(), null);
        });
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }
}
