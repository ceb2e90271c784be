package org.tsr.standalone.judgestudy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tsr.standalone.judgestudy.StudyPointTest.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.standalone.console.UserError;

class StudyFolderTest {

    @TempDir
    Path work;

    @Test
    void savedPointsReadBackOnlyWithTheSameSettings() {
        StudyFolder folder = new StudyFolder(work);
        assertThat(folder.earlierPoints("families [sort]")).isEmpty();
        List<StudyPoint> points = List.of(
                StudyPoint.measure("tiny", 50, "suite", samples(), 90),
                StudyPoint.measure("small", 50, "own", samples(), 120));

        folder.save("families [sort]", points);

        assertThat(new StudyFolder(work).earlierPoints("families [sort]")).isEqualTo(points);
        assertThatThrownBy(() -> folder.earlierPoints("families [add]"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("the output folder holds a study with other settings (families [sort])");
    }

    @Test
    void everyJudgedSampleIsOneLine() throws Exception {
        new StudyFolder(work)
                .writeSamples(
                        "tiny-eft-50-suite",
                        List.of(
                                new JudgedSample("sort", "sort: ba", "ab", 4.5, 5, List.of("Score: 4", "Score: 5")),
                                new JudgedSample("add", "add: 1+2", "4", null, 2, List.of("no score"))));

        assertThat(Files.readAllLines(work.resolve("samples").resolve("tiny-eft-50-suite.jsonl")))
                .containsExactly(
                        "{\"family\":\"sort\",\"prompt\":\"sort: ba\",\"response\":\"ab\",\"oracle\":5,\"judge\":4.5,"
                                + "\"judgments\":[\"Score: 4\",\"Score: 5\"]}",
                        "{\"family\":\"add\",\"prompt\":\"add: 1+2\",\"response\":\"4\",\"oracle\":2,\"judge\":null,"
                                + "\"judgments\":[\"no score\"]}");
    }
}
