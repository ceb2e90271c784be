package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    @Test
    void aNativeTensorLargerThanOneWriteChunkIsStreamedBitExact() {
        Path file = dir.resolve("big.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            // 1100 x 32768 float32 = 144 MB, over the 64 MB chunk, so it goes to the file in row ranges, narrowed
            // to float16 here and compared with PyTorch's own conversion
            NDArray values = manager.randomNormal(new Shape(1100, 32768)).mul(1000);
            NDArray small = manager.arange(6f).reshape(2, 3);
            SafetensorsWriter.write(
                    file,
                    List.of(
                            new SafetensorsWriter.NativeTensor("a", new long[] {2, 3}, TensorDtype.F32, () -> small),
                            new SafetensorsWriter.NativeTensor(
                                    "big", new long[] {1100, 32768}, TensorDtype.F16, () -> values)));
            ByteBuffer expected = values.toType(DataType.FLOAT16, true).toByteBuffer(true);
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                assertThat(reader.entries().get("big").dtype()).isEqualTo(TensorDtype.F16);
                assertThat(reader.readBytes("big")).isEqualTo(expected);
                assertThat(reader.readFloats("a")).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);
            }
            assertThat(values.isReleased()).as("the caller's array stays open").isFalse();
        }
    }

    @Test
    void offsetsPastTwoGigabytesAreWrittenAsLongs() {
        // the header is computed from shapes alone; these tensors' values are never asked for
        List<SafetensorsWriter.NativeTensor> tensors = List.of(
                new SafetensorsWriter.NativeTensor("first", new long[] {600_000_000L}, TensorDtype.F32, () -> {
                    throw new AssertionError("values read for the header");
                }),
                new SafetensorsWriter.NativeTensor("second", new long[] {151_936, 1536}, TensorDtype.BF16, () -> {
                    throw new AssertionError("values read for the header");
                }));
        ByteBuffer header = SafetensorsWriter.header(tensors);
        long length = header.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(length % 8).isZero();
        JsonNode json = HfConfigFile.json()
                .readTree(new String(header.array(), 8, (int) length, StandardCharsets.UTF_8).strip());
        assertThat(json.at("/first/data_offsets/1").asLong()).isEqualTo(2_400_000_000L);
        assertThat(json.at("/second/data_offsets/1").asLong()).isEqualTo(2_400_000_000L + 151_936L * 1536 * 2);
    }
}
