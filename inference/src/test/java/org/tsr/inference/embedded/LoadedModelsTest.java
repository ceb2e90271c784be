package org.tsr.inference.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.EngineOptions;
import org.tsr.inference.testing.TinyModelFixture;

class LoadedModelsTest {

    @Test
    void aModelLoadedForBfloat16ComputeCountsItsWeightCopiesAndStillGenerates() {
        long float32;
        try (LoadedModels models = new LoadedModels(EngineOptions.cpu(1), Long.MAX_VALUE)) {
            models.get(1, "tiny", TinyModelFixture.folder());
            float32 = models.loadedBytes();
        }
        try (LoadedModels models = new LoadedModels(
                EngineOptions.cpu(1).withPrecision(EngineOptions.Precision.BFLOAT16), Long.MAX_VALUE)) {
            EmbeddedBackend backend = models.get(1, "tiny", TinyModelFixture.folder());

            assertThat(models.loadedBytes()).isGreaterThan(float32).isLessThan(float32 * 3 / 2 + 1);
            assertThat(backend.complete(List.of("sort: cba"), SamplingSettings.of(1, 0.0, 4, 3)))
                    .singleElement()
                    .satisfies(texts -> assertThat(texts)
                            .singleElement()
                            .satisfies(text -> assertThat(text.text()).isNotNull()));
        }
    }

    @Test
    void theBudgetCountsWhatTheLoadedWeightsTakeAndUnloadsTheEldest() {
        long one;
        try (LoadedModels models = new LoadedModels(EngineOptions.cpu(1), Long.MAX_VALUE)) {
            models.get(1, "tiny", TinyModelFixture.folder());
            one = models.loadedBytes();
        }
        try (LoadedModels models = new LoadedModels(EngineOptions.cpu(1), one * 3 / 2)) {
            models.get(1, "a", TinyModelFixture.folder());
            models.get(2, "b", TinyModelFixture.folder());

            assertThat(models.size()).isEqualTo(1);
            assertThat(models.loadedBytes()).isEqualTo(one);
        }
    }
}
