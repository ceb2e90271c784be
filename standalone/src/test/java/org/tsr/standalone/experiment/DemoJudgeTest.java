package org.tsr.standalone.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoJudgeTest {

    @Test
    void everyJudgeNamesItsRunsApartAndReadsBackAsItself() {
        List<String> names = List.of("self", "self:expected", "frozen", "frozen:expected", "oracle", "noisy:0.75");
        List<DemoSettings.Judge> judges =
                names.stream().map(DemoSettings.Judge::parse).toList();

        assertThat(judges.stream().map(DemoSettings.Judge::label)).containsExactlyElementsOf(names);
        assertThat(judges.stream()
                        .map(judge -> judge.label(DemoSettings.Method.SR))
                        .collect(Collectors.toSet()))
                .hasSize(names.size())
                .contains("SR", "SR, self:expected judge", "SR, noisy:0.75 judge");
        assertThat(DemoSettings.Judge.parse(" Noisy:0.50 ").label()).isEqualTo("noisy:0.5");
        assertThat(DemoSettings.Judge.parse("self:expected").expectedScore()).isTrue();
    }
}
