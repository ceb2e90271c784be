package org.tsr.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.contract.sampling.SamplingSettings;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;

class GeneratorMemoryTest {

    @TempDir
    Path dir;

    @Test
    void aThousandGenerateCallsLeaveTheLiveArrayCountFlat() {
        try (LanguageModel model =
                LanguageModel.load(TestModels.write(dir, TestModels.llama(), 8), TestModels.options())) {
            Generator generator = new Generator(model);
            SamplingSettings params = SamplingSettings.of(2, 1.0, 4, 1).withTopP(0.9);
            List<String> prompts = List.of("ab", "xyz1");
            generator.generate(prompts, params);
            // the engine's root manager sees every array of every manager below it
            NDManager root = model.manager().getParentManager();
            int before = root.getManagedArrays().size();
            int modelArrays = model.manager().getManagedArrays().size();
            for (int i = 0; i < 1000; i++) {
                generator.generate(prompts, new SamplingSettings(2, 1.0, 0.9, 0, 4, List.of(), i));
            }
            assertThat(root.getManagedArrays()).hasSize(before);
            assertThat(model.manager().getManagedArrays())
                    .hasSize(modelArrays)
                    .hasSize(model.network().namedParameters().size());
        }
    }
}
