package org.tsr.engine.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.NamedParameter;

/** The block that samples and scores also trains: log-probs carry gradients to every parameter. */
class GradientFlowTest {

    @TempDir
    Path dir;

    @Test
    void responseLogProbsBackpropagateToEveryParameter() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir, TestModels.qwen2(), 77), TestModels.options())) {
            for (NamedParameter parameter : model.network().namedParameters()) {
                parameter.parameter().getArray().setRequiresGradient(true);
            }
            SequenceScorer scorer = new SequenceScorer(model);
            List<PromptResponse> batch = List.of(
                    new PromptResponse(new long[] {10, 11}, new long[] {20, 21, 22}),
                    new PromptResponse(new long[] {30, 31, 32}, new long[] {40}));
            try (NDManager manager = model.manager().newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = scorer.logProbs(manager, batch).sums().sum().neg();
                collector.backward(loss);
            }
            for (NamedParameter parameter : model.network().namedParameters()) {
                NDArray gradient = parameter.parameter().getArray().getGradient();
                assertThat(gradient.abs().sum().getFloat()).as(parameter.name()).isGreaterThan(0f);
                gradient.close();
            }
        }
    }
}
