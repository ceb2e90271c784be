package org.tsr.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tsr.engine.LanguageModel;
import org.tsr.engine.TestModels;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class HalfPrecisionCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void bfloat16CheckpointsLoadAsFloat32AndSaveBackAsTheSameBfloat16() throws Exception {
        ModelConfig config = TestModels.qwen2();
        TestModels.write(dir, config, 12);
        List<SafetensorsWriter.Tensor> tensors = TestModels.randomTensors(config, 12);
        writeBfloat16(dir.resolve("model.safetensors"), tensors);
        try (LanguageModel model = LanguageModel.load(dir, TestModels.options())) {
            for (SafetensorsWriter.Tensor tensor : tensors) {
                NamedParameter parameter = model.network().namedParameters().stream()
                        .filter(p -> p.name().equals(tensor.name()))
                        .findFirst()
                        .orElseThrow();
                float[] expected = new float[tensor.data().length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = Float.intBitsToFloat(Float.floatToIntBits(tensor.data()[i]) & 0xffff0000);
                }
                assertThat(parameter.parameter().getArray().toFloatArray())
                        .as(tensor.name())
                        .containsExactly(expected);
            }
            Path saved = dir.resolve("saved");
            model.save(saved);
            StoredTensors written = StoredTensors.of(saved);
            assertThat(written.dtypes().values()).containsOnly(TensorDtype.BF16);
            // the source was encoded here by truncation, independently of PyTorch's conversion on save
            assertThat(written.bytes()).isEqualTo(StoredTensors.of(dir).bytes());
        }
    }

    /** Truncates each float to its upper 16 bits, which is how bfloat16 stores it. */
    private static void writeBfloat16(Path file, List<SafetensorsWriter.Tensor> tensors) throws Exception {
        ObjectNode header = JsonMapper.builder().build().createObjectNode();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (SafetensorsWriter.Tensor tensor : tensors) {
            ObjectNode entry = header.putObject(tensor.name());
            entry.put("dtype", "BF16");
            var shape = entry.putArray("shape");
            for (long dim : tensor.shape()) {
                shape.add(dim);
            }
            ByteBuffer bytes = ByteBuffer.allocate(2 * tensor.data().length).order(ByteOrder.LITTLE_ENDIAN);
            for (float value : tensor.data()) {
                bytes.putShort((short) (Float.floatToIntBits(value) >>> 16));
            }
            entry.putArray("data_offsets").add(data.size()).add(data.size() + bytes.capacity());
            data.write(bytes.array());
        }
        RawSafetensors.write(file, header.toString(), data.toByteArray());
        assertThat(Files.size(file)).isGreaterThan(data.size());
    }
}
