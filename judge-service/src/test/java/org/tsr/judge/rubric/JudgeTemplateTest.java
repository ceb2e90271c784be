package org.tsr.judge.rubric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JudgeTemplateTest {

    @Test
    void defaultRubricAsksForAnAdditiveScore() {
        String rendered = JudgeTemplate.additiveRubric().render("sort: cba", "abc");

        assertThat(rendered).contains("Instruction: sort: cba", "Answer: abc", "Score: <points>");
    }

    @Test
    void placeholdersInsideThePromptOrResponseStayAsTheyAre() {
        JudgeTemplate template = JudgeTemplate.of("Q: {prompt}\nA: {response}");

        assertThat(template.render("echo {response}", "{prompt}")).isEqualTo("Q: echo {response}\nA: {prompt}");
    }

    @Test
    void refusesATemplateWithoutTheResponsePlaceholder() {
        assertThatThrownBy(() -> JudgeTemplate.of("Rate {prompt} from 0 to 5."))
                .isInstanceOf(JudgeTemplate.InvalidTemplateException.class)
                .hasMessageContaining("{response}");
    }
}
