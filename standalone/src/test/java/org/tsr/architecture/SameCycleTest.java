package org.tsr.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tsr.architecture.ArchitectureTest.SameCycle;

class SameCycleTest {

    static final String FROZEN = "Cycle detected: org.tsr.gateway.orchestration -> \n"
            + "                org.tsr.gateway.runs -> \n"
            + "                org.tsr.gateway.orchestration\n"
            + "  1. Dependencies of org.tsr.gateway.orchestration\n"
            + "    - Field <org.tsr.gateway.orchestration.RunConductor.settingsJson> has type"
            + " <org.tsr.gateway.runs.RunSettingsJson> in (RunConductor.java:0)\n"
            + "  2. Dependencies of org.tsr.gateway.runs\n"
            + "    - Field <org.tsr.gateway.runs.RunCatalog.conductor> has type"
            + " <org.tsr.gateway.orchestration.RunConductor> in (RunCatalog.java:0)";

    final SameCycle matcher = new SameCycle();

    @Test
    void aCycleIsKnownByItsPackagesWhicheverDependenciesMakeItUp() {
        String changed = "Cycle detected: org.tsr.gateway.runs -> \n"
                + "                org.tsr.gateway.orchestration -> \n"
                + "                org.tsr.gateway.runs\n"
                + "  1. Dependencies of org.tsr.gateway.runs\n"
                + "    - Method <org.tsr.gateway.runs.RunCatalog.resume(long)> calls method"
                + " <org.tsr.gateway.orchestration.RunConductor.lockAgainstSteps()> in (RunCatalog.java:314)\n";

        assertThat(SameCycle.packages(FROZEN)).containsExactly("org.tsr.gateway.orchestration", "org.tsr.gateway.runs");
        assertThat(matcher.matches(changed, FROZEN)).isTrue();
    }

    @Test
    void aCycleThroughAnotherPackageIsNew() {
        String longer = "Cycle detected: org.tsr.gateway.orchestration -> \n"
                + "                org.tsr.gateway.evaluation -> \n"
                + "                org.tsr.gateway.runs -> \n"
                + "                org.tsr.gateway.orchestration\n"
                + "  1. Dependencies of org.tsr.gateway.orchestration\n";

        assertThat(matcher.matches(longer, FROZEN)).isFalse();
    }
}
