package org.tsr.engine.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.scoring.PromptResponse;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;
import org.tsr.engine.training.dpo.PreferenceExample;

/** The built-in tiny model and a fixed set of letter-sorting pairs: chosen sorted, rejected not. */
public final class TrainingFixtures {

    public static final List<String[]> SORTING = List.of(
            new String[] {"sort: cba", "abc", "cab"},
            new String[] {"sort: dca", "acd", "dac"},
            new String[] {"sort: fed", "def", "efd"},
            new String[] {"sort: hgb", "bgh", "hbg"},
            new String[] {"sort: kji", "ijk", "jki"},
            new String[] {"sort: nml", "lmn", "mnl"},
            new String[] {"sort: qpo", "opq", "pqo"},
            new String[] {"sort: tsr", "rst", "srt"});

    private TrainingFixtures() {}

    public static Path tinyModel(Path dir) {
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        return TinyModels.create(dir, TinyModels.tiny(vocabulary), vocabulary, 11);
    }

    public static LanguageModel load(Path modelDir) {
        return LanguageModel.load(modelDir, TestModels.options());
    }

    public static List<PreferenceExample> sortingPairs(LanguageModel model) {
        ExampleEncoder encoder = new ExampleEncoder(model, false, 64);
        return SORTING.stream()
                .map(pair -> encoder.encodePair(pair[0], pair[1], pair[2]))
                .toList();
    }

    /** The sorting pairs' prompts with their chosen answers, as SFT examples. */
    public static List<PromptResponse> sortingExamples(LanguageModel model) {
        ExampleEncoder encoder = new ExampleEncoder(model, false, 64);
        return SORTING.stream().map(pair -> encoder.encode(pair[0], pair[1])).toList();
    }

    /** Every parameter's values by checkpoint name, copied to the heap. */
    public static Map<String, float[]> weights(LanguageModel model) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (NamedParameter parameter : model.network().namedParameters()) {
            weights.put(parameter.name(), parameter.parameter().getArray().toFloatArray());
        }
        return weights;
    }

    /** The same parameters with bit-identical values. */
    public static void assertSameWeights(Map<String, float[]> actual, Map<String, float[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (Map.Entry<String, float[]> entry : expected.entrySet()) {
            assertThat(actual.get(entry.getKey())).as(entry.getKey()).containsExactly(entry.getValue());
        }
    }
}
