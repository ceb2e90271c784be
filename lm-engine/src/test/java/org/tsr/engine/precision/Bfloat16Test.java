package org.tsr.engine.precision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

class Bfloat16Test {

    @Test
    void aBfloat16LinearMatchesFloat32WithinBfloat16Rounding() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                Bfloat16 bf16 = Bfloat16.load(manager)) {
            manager.getEngine().setRandomSeed(3);
            NDArray x = manager.randomNormal(new Shape(4, 64));
            NDArray w = manager.randomNormal(new Shape(32, 64));
            NDArray weight = bf16.copyOf(w);

            NDArray y = bf16.linear(x, weight);

            assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(y.getShape()).isEqualTo(new Shape(4, 32));
            float[] exact = Linear.linear(x, w).singletonOrThrow().toFloatArray();
            float[] rounded = y.toFloatArray();
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < exact.length; i++) {
                worst = Math.max(worst, Math.abs(exact[i] - rounded[i]));
                scale = Math.max(scale, Math.abs(exact[i]));
            }
            System.out.printf("bf16 linear: max |diff| %.4f of max |y| %.2f%n", worst, scale);
            assertThat(worst).isGreaterThan(0).isLessThan(0.02 * scale);
        }
    }
}
