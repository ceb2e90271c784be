package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmsUpLinearlyThenDecaysLinearlyToTheMinimumOnTheLastStep() {
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Kind.LINEAR, 1e-6, 1e-7, 2, 7);

        assertThat(schedule.at(0)).isCloseTo(0.5e-6, within(1e-15));
        assertThat(schedule.at(1)).isCloseTo(1e-6, within(1e-15));
        assertThat(schedule.at(2)).isCloseTo(1e-6, within(1e-15));
        assertThat(schedule.at(4)).isCloseTo(0.55e-6, within(1e-15));
        assertThat(schedule.at(6)).isCloseTo(1e-7, within(1e-15));
    }

    @Test
    void cosineDecayIsHalfWayAtTheMiddleOfTheDecay() {
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 1.0, 0.0, 0, 5);

        assertThat(schedule.at(0)).isCloseTo(1.0, within(1e-12));
        assertThat(schedule.at(1)).isCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), within(1e-12));
        assertThat(schedule.at(2)).isCloseTo(0.5, within(1e-12));
        assertThat(schedule.at(4)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void constantStaysAtThePeakAfterWarmUp() {
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Kind.CONSTANT, 0.1, 0.0, 4, 10);

        assertThat(schedule.at(0)).isCloseTo(0.025, within(1e-12));
        assertThat(schedule.at(9)).isCloseTo(0.1, within(1e-12));
    }
}
