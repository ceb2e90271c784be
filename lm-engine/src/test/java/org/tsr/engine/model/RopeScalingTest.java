package org.tsr.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class RopeScalingTest {

    /** Llama 3.1 8B: head_dim 128, theta 500000, factor 8 between wavelengths 8192/4 and 8192/1. */
    @Test
    void llama3KeepsHighFrequenciesStretchesLowOnesAndInterpolatesBetween() {
        double[] plain = RopeScaling.defaultInverseFrequencies(128, 500000);
        double[] scaled = new Llama3RopeScaling(8, 1, 4, 8192).inverseFrequencies(128, 500000);
        int kept = 0;
        int stretched = 0;
        int smoothed = 0;
        for (int i = 0; i < plain.length; i++) {
            double wavelength = 2 * Math.PI / plain[i];
            if (wavelength < 2048) {
                assertThat(scaled[i]).isEqualTo(plain[i]);
                kept++;
            } else if (wavelength > 8192) {
                assertThat(scaled[i]).isCloseTo(plain[i] / 8, offset(1e-18));
                stretched++;
            } else {
                assertThat(scaled[i]).isStrictlyBetween(plain[i] / 8, plain[i]);
                smoothed++;
            }
        }
        assertThat(kept).isPositive();
        assertThat(stretched).isPositive();
        assertThat(smoothed).isPositive();
    }

    @Test
    void linearScalingDividesEveryFrequency() {
        double[] plain = RopeScaling.defaultInverseFrequencies(16, 10000);
        double[] scaled = new RopeScaling.Linear(4).inverseFrequencies(16, 10000);
        for (int i = 0; i < plain.length; i++) {
            assertThat(scaled[i]).isCloseTo(plain[i] / 4, offset(1e-15));
        }
    }

    @Test
    void yarnKeepsTheFastestFrequencyAndInterpolatesTheSlowest() {
        YarnRopeScaling yarn = new YarnRopeScaling(4, 4096, 1.1386, 32, 1, true);
        double[] plain = RopeScaling.defaultInverseFrequencies(64, 10000);
        double[] scaled = yarn.inverseFrequencies(64, 10000);
        assertThat(scaled[0]).isEqualTo(plain[0]);
        assertThat(scaled[31]).isCloseTo(plain[31] / 4, offset(1e-15));
        assertThat(YarnRopeScaling.defaultAttentionFactor(4, 0, 0)).isCloseTo(1 + 0.1 * Math.log(4), offset(1e-15));
        assertThat(YarnRopeScaling.defaultAttentionFactor(0.5, 0, 0)).isEqualTo(1.0);
    }

    @Test
    void dynamicNtkReadsFactorTimesTheConfiguredContext() {
        assertThat(new RopeScaling.DynamicNtk(2).contextLength(4096)).isEqualTo(8192);
        assertThat(RopeScaling.NONE.contextLength(4096)).isEqualTo(4096);
    }
}
