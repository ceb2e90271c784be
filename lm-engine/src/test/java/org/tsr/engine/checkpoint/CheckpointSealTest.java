package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointSealTest {

    @TempDir
    Path dir;

    Path sealedModel() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 8}");
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3, 4, 5});
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/tokenizer.json"), "{}");
        CheckpointSeal.seal(dir);
        return dir;
    }

    @Test
    void aSealedFolderListsEveryFileAndVerifies() throws Exception {
        Path model = sealedModel();

        assertThat(Files.readAllLines(model.resolve(CheckpointSeal.FILE_NAME)))
                .hasSize(3)
                .allSatisfy(line -> assertThat(line).matches("[0-9a-f]{64}  .+"))
                .anySatisfy(line -> assertThat(line).endsWith("  sub/tokenizer.json"));
        assertThatCode(() -> CheckpointSeal.verify(model)).doesNotThrowAnyException();
    }

    @Test
    void aChangedOrMissingFileFailsByName() throws Exception {
        Path model = sealedModel();
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3, 4, 6});

        assertThatThrownBy(() -> CheckpointSeal.verify(model))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.safetensors does not match its checksum");

        Files.delete(model.resolve("sub/tokenizer.json"));
        Files.write(model.resolve("model.safetensors"), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> CheckpointSeal.verify(model)).hasMessageContaining("sub/tokenizer.json is missing");
    }

    @Test
    void aFolderWithoutChecksumsIsReadAsItIs() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{}");

        assertThatCode(() -> CheckpointSeal.verify(dir)).doesNotThrowAnyException();
    }
}
