package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsBfloat16AsFloat32() throws IOException {
        Path file = dir.resolve("bf16.safetensors");
        // 1.0 = 0x3F80, -2.0 = 0xC000, 0.15625 = 0x3E20
        RawSafetensors.write(
                file,
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[0,6]}}",
                RawSafetensors.shorts((short) 0x3F80, (short) 0xC000, (short) 0x3E20));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("w")).containsExactly(1f, -2f, 0.15625f);
        }
    }

    @Test
    void readsFloat16AsFloat32() throws IOException {
        Path file = dir.resolve("f16.safetensors");
        // 1.0 = 0x3C00, -0.5 = 0xB800, 65504 = 0x7BFF, smallest subnormal 2^-24 = 0x0001
        RawSafetensors.write(
                file,
                "{\"w\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}",
                RawSafetensors.shorts((short) 0x3C00, (short) 0xB800, (short) 0x7BFF, (short) 0x0001));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("w")).containsExactly(1f, -0.5f, 65504f, 0x1p-24f);
            assertThat(reader.entries().get("w").shape()).containsExactly(2, 2);
        }
    }

    @Test
    void writerOutputIsReadBackExactly() {
        Path file = dir.resolve("f32.safetensors");
        float[] data = {Float.MIN_VALUE, -0f, 3.1415927f, Float.MAX_VALUE, 1e-20f, -7f};
        SafetensorsWriter.write(file, List.of(new SafetensorsWriter.Tensor("a.weight", new long[] {2, 3}, data)));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertThat(reader.readFloats("a.weight")).containsExactly(data);
        }
    }

    @Test
    void aTensorLargerThanOneReadChunkLoadsIntoNativeMemoryInPieces() {
        Path file = dir.resolve("big.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            // 1100 x 32768 bfloat16 = 72 MB stored, over the 64 MB read chunk
            NDArray values = manager.randomNormal(new Shape(1100, 32768));
            SafetensorsWriter.write(
                    file,
                    List.of(new SafetensorsWriter.NativeTensor(
                            "big", new long[] {1100, 32768}, TensorDtype.BF16, () -> values)));
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                NDArray read = reader.readArray("big", manager);
                assertThat(read.getShape()).isEqualTo(new Shape(1100, 32768));
                assertThat(read.getManager()).isSameAs(manager);
                assertThat(read.toFloatArray()).isEqualTo(reader.readFloats("big"));
            }
        }
    }

    @Test
    void truncatedDataNamesFileAndTensor() throws IOException {
        Path file = dir.resolve("short.safetensors");
        RawSafetensors.write(
                file, "{\"layer.w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("layer.w")
                .hasMessageContaining("truncated");
    }

    @Test
    void fileShorterThanTheHeaderLengthIsTruncated() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void headerLengthBeyondTheFileIsABadHeader() throws IOException {
        Path file = dir.resolve("len.safetensors");
        RawSafetensors.write(file, "{}", new byte[0]);
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] = 100;
        Files.write(file, bytes);
        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("bad header");
    }

    @Test
    void headerThatIsNotJsonIsABadHeader() throws IOException {
        Path file = dir.resolve("json.safetensors");
        RawSafetensors.write(file, "{\"w\": [not json", new byte[0]);
        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("bad header");
    }

    @Test
    void offsetsThatDisagreeWithTheShapeNameTheTensor() throws IOException {
        Path file = dir.resolve("offsets.safetensors");
        RawSafetensors.write(file, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'w'")
                .hasMessageContaining("data_offsets");
    }

    @Test
    void unsupportedDtypeNamesTheTensor() throws IOException {
        Path file = dir.resolve("i64.safetensors");
        RawSafetensors.write(file, "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertThatThrownBy(() -> SafetensorsReader.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'ids'")
                .hasMessageContaining("I64");
    }
}
