package org.tsr.engine.training;

import java.nio.file.Path;
import java.util.List;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
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
}
