package org.tsr.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TaskSuiteTest {

    private static final SuiteSpec SPEC = new SuiteSpec(7, Oracle.familyNames(), 20, 40, 3, 10, 12);

    @Test
    void everySplitHasItsSizeAndNoPromptAppearsTwice() {
        List<SuitePrompt> suite = TaskSuite.generate(SPEC);

        Map<String, Long> bySplit =
                suite.stream().collect(Collectors.groupingBy(SuitePrompt::split, Collectors.counting()));
        assertThat(bySplit)
                .containsEntry("EVAL", 48L)
                .containsEntry("ITERATION", 120L)
                .containsEntry("IFT", 80L)
                .containsEntry("EFT", 160L);
        Set<String> texts = new HashSet<>();
        suite.forEach(prompt ->
                assertThat(texts.add(prompt.prompt())).as(prompt.prompt()).isTrue());
        assertThat(suite.stream().filter(p -> p.split().equals("ITERATION")).map(SuitePrompt::chunk))
                .containsOnly(0, 1, 2);
    }

    @Test
    void theSameSeedGivesTheSameSuiteAndASplitDoesNotMoveWhenAnotherGrows() {
        List<SuitePrompt> suite = TaskSuite.generate(SPEC);
        assertThat(TaskSuite.generate(SPEC)).isEqualTo(suite);
        SuiteSpec moreIft = new SuiteSpec(7, Oracle.familyNames(), 30, 40, 3, 10, 12);
        assertThat(eval(TaskSuite.generate(moreIft))).isEqualTo(eval(suite));
        assertThat(TaskSuite.generate(new SuiteSpec(8, Oracle.familyNames(), 20, 40, 3, 10, 12)))
                .isNotEqualTo(suite);
    }

    @Test
    void referencesAreWhatTheOracleGradesFullMarksAndJudgeExamplesCoverEveryScore() {
        List<SuitePrompt> suite = TaskSuite.generate(SPEC);
        Pattern judgment = Pattern.compile("[a-z ,]+\\. Score: ([1-5])");
        Set<Integer> scores = new HashSet<>();
        for (SuitePrompt prompt : suite) {
            if (prompt.split().equals("EFT")) {
                assertThat(prompt.prompt()).startsWith("rate ").contains(" -> ");
                Matcher matcher = judgment.matcher(prompt.reference());
                assertThat(matcher.matches()).as(prompt.reference()).isTrue();
                scores.add(Integer.parseInt(matcher.group(1)));
            } else {
                assertThat(Oracle.grade(prompt.family(), prompt.prompt(), prompt.reference(), prompt.reference())
                                .score())
                        .isEqualTo(5);
            }
        }
        assertThat(scores).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void theSuiteExportsAsPromptSetLines() {
        List<SuitePrompt> suite = TaskSuite.generate(SPEC);
        String[] lines = SuiteExport.toJsonLines(suite).split("\n");
        assertThat(lines).hasSize(suite.size());
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readValue(lines[0], SuitePrompt.class)).isEqualTo(suite.get(0));
        assertThat(json.readTree(lines[0]).has("chunk")).isFalse();
    }

    @Test
    void badSpecsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new SuiteSpec(1, List.of("poetry"), 1, 1, 1, 1, 1))
                .hasMessageContaining("unknown task family 'poetry'");
        assertThatThrownBy(() -> TaskSuite.generate(new SuiteSpec(1, List.of("add"), 20000, 0, 1, 1, 0)))
                .hasMessageContaining("cannot make 20000 more distinct prompts");
    }

    private static List<SuitePrompt> eval(List<SuitePrompt> suite) {
        return suite.stream().filter(p -> p.split().equals("EVAL")).toList();
    }
}
