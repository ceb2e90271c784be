package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorDtypeTest {

    @Test
    void bfloat16RoundsToNearestEven() {
        assertThat(TensorDtype.floatToBfloat16(1.0f)).isEqualTo((short) 0x3f80);
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even mantissa, 1
        assertThat(TensorDtype.floatToBfloat16(Float.intBitsToFloat(0x3f808000)))
                .isEqualTo((short) 0x3f80);
        // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: the even one is above
        assertThat(TensorDtype.floatToBfloat16(Float.intBitsToFloat(0x3f818000)))
                .isEqualTo((short) 0x3f82);
        assertThat(TensorDtype.floatToBfloat16(Float.intBitsToFloat(0x3f808001)))
                .isEqualTo((short) 0x3f81);
        assertThat(TensorDtype.floatToBfloat16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80); // rounds up to infinity
        assertThat(Float.isNaN(Float.intBitsToFloat(TensorDtype.floatToBfloat16(Float.NaN) << 16)))
                .isTrue();
    }

    @Test
    void everyBfloat16AndFloat16ValueSurvivesWideningAndNarrowing() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float widened = Float.intBitsToFloat(bits << 16);
            if (!Float.isNaN(widened)) {
                assertThat(TensorDtype.floatToBfloat16(widened)).isEqualTo((short) bits);
            }
            float half = TensorDtype.halfToFloat((short) bits);
            if (!Float.isNaN(half)) {
                assertThat(TensorDtype.floatToHalf(half))
                        .as("half 0x%04x", bits)
                        .isEqualTo((short) bits);
            }
        }
    }

    @Test
    void float16NarrowingMatchesPyTorch() {
        Random random = new Random(3);
        float[] values = new float[200_000];
        for (int i = 0; i < values.length; i++) {
            // every magnitude a half can hold or lose: subnormals, ties, overflow to infinity
            values[i] = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(50) - 30));
        }
        values[0] = 65520f; // the smallest float that rounds to infinity
        values[1] = 0x1p-25f; // half the smallest subnormal: a tie, to zero
        values[2] = 0x1.8p-25f; // above it: the smallest subnormal
        values[3] = Float.NEGATIVE_INFINITY;
        try (NDManager manager = NDManager.newBaseManager()) {
            ShortBuffer torch = manager.create(values)
                    .toType(DataType.FLOAT16, false)
                    .toByteBuffer(true)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer();
            for (int i = 0; i < values.length; i++) {
                assertThat(TensorDtype.floatToHalf(values[i]))
                        .as("%s", values[i])
                        .isEqualTo(torch.get(i));
            }
        }
    }
}
