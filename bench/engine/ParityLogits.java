import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.tsr.engine.EngineOptions;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.model.AttentionInputs;
import org.tsr.engine.tiny.TinyModels;
import org.tsr.engine.tokenizer.CharacterVocabulary;

/** Writes a tiny model directory and the engine's logits for a fixed sequence, for parity.py to check. */
public class ParityLogits {

    static final long[] SEQUENCE = {1, 40, 41, 42, 10, 70, 71, 9, 55, 56, 57, 30};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        CharacterVocabulary vocabulary = CharacterVocabulary.ascii();
        TinyModels.create(dir, TinyModels.tiny(vocabulary), vocabulary, 3);
        try (LanguageModel model = LanguageModel.load(dir, EngineOptions.cpu(1));
                NDManager manager = model.manager().newSubManager()) {
            float[] logits = model.network()
                    .logits(model.network()
                            .hiddenStates(
                                    manager.create(new long[][] {SEQUENCE}),
                                    AttentionInputs.causal(manager, 1, SEQUENCE.length),
                                    null))
                    .toFloatArray();
            Files.writeString(dir.resolve("engine_logits.txt"),
                    IntStream.range(0, logits.length).mapToObj(i -> Float.toString(logits[i])).collect(Collectors.joining("\n")));
            Files.writeString(dir.resolve("sequence.txt"),
                    java.util.Arrays.stream(SEQUENCE).mapToObj(Long::toString).collect(Collectors.joining(" ")));
        }
    }
}
