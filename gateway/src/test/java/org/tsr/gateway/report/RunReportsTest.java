package org.tsr.gateway.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportsTest {

    @Test
    void busyTimeIsTheUnionOfOverlappingAndSeparateUnits() {
        assertThat(RunReports.union(List.of())).isZero();
        assertThat(RunReports.union(List.of(new long[] {10, 20}, new long[] {15, 30}, new long[] {40, 45})))
                .isEqualTo(25);
        assertThat(RunReports.union(List.of(new long[] {40, 45}, new long[] {10, 50})))
                .isEqualTo(40);
    }
}
