import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.tsr.engine.checkpoint.HfConfigFile;
import org.tsr.engine.checkpoint.HfWeights;
import org.tsr.engine.checkpoint.TensorDtype;
import org.tsr.engine.model.Architecture;
import org.tsr.engine.model.CausalLm;
import org.tsr.engine.model.ModelConfig;
import org.tsr.engine.model.NamedParameter;
import org.tsr.engine.model.RopeScaling;
import tools.jackson.databind.json.JsonMapper;

/**
 * bench/run.sh save: saves a random model of Qwen2.5-1.5B's shape (1.54B parameters, held as float32 in native
 * memory) as a bfloat16 checkpoint through HfWeights.save, in a JVM whose heap is capped by the script (-Xmx1g).
 * Prints the elapsed save time, the bytes written, the process's peak resident memory (VmHWM) before and after the
 * save, and the peak Java heap used. Then, with that model closed, loads the checkpoint back (same heap) and saves
 * it again, and says whether the second save's files are byte for byte the first's. "small" instead of "1.5b" runs a
 * 4-layer, 4096-vocabulary model of the same widths as a quick check.
 */
public class SaveBench {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String size = args.length > 1 ? args[1] : "1.5b";
        long shardBytes = args.length > 2 ? Long.parseLong(args[2]) : HfWeights.DEFAULT_MAX_SHARD_BYTES;
        boolean small = size.equals("small");
        // Qwen2.5-1.5B: hidden 1536, 28 layers, intermediate 8960, vocabulary 151936, 12 heads over 2 KV heads, tied
        ModelConfig config = new ModelConfig(
                Architecture.QWEN2,
                small ? 4096 : 151_936,
                1536,
                8960,
                small ? 4 : 28,
                12,
                2,
                128,
                32_768,
                1e-6,
                1_000_000.0,
                RopeScaling.NONE,
                true,
                true,
                false,
                151_643,
                151_645,
                0);
        Path checkpoint = out.resolve("saved");
        Path resaved = out.resolve("resaved");
        Files.createDirectories(checkpoint);
        Files.createDirectories(resaved);
        long parameters = 0;
        long residentBefore;
        double saveSeconds;
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = new CausalLm(config);
            Map<String, TensorDtype> dtypes = new HashMap<>();
            for (NamedParameter slot : model.namedParameters()) {
                slot.parameter().setArray(manager.randomUniform(-0.05f, 0.05f, slot.shape(), DataType.FLOAT32));
                dtypes.put(slot.name(), TensorDtype.BF16);
                parameters += slot.shape().size();
            }
            residentBefore = peakResidentKb();
            HfConfigFile.write(
                    config,
                    JsonMapper.builder().build().createObjectNode(),
                    TensorDtype.BF16,
                    checkpoint.resolve(HfConfigFile.FILE_NAME));
            long start = System.nanoTime();
            HfWeights.save(model, checkpoint, shardBytes, dtypes);
            saveSeconds = (System.nanoTime() - start) / 1e9;
        }
        long residentAfterSave = peakResidentKb();
        long written = weightBytes(checkpoint);
        System.out.println(String.format(
                Locale.ROOT,
                "save size=%s parameters=%d dtype=bf16 files=%d bytes_written=%d seconds=%.1f MB_per_s=%.0f",
                size,
                parameters,
                weightFiles(checkpoint).size(),
                written,
                saveSeconds,
                written / saveSeconds / 1e6));
        // the first model is closed: loading it back and saving it again must give the same bytes
        double loadSeconds;
        try (NDManager manager = NDManager.newBaseManager()) {
            CausalLm model = new CausalLm(config);
            long start = System.nanoTime();
            Map<String, TensorDtype> dtypes = HfWeights.load(checkpoint, model, manager);
            loadSeconds = (System.nanoTime() - start) / 1e9;
            HfWeights.save(model, resaved, shardBytes, dtypes);
        }
        boolean identical = weightFiles(checkpoint).size() == weightFiles(resaved).size();
        for (Path file : weightFiles(checkpoint)) {
            identical &= Files.mismatch(file, resaved.resolve(file.getFileName())) == -1;
        }
        System.out.println(String.format(
                Locale.ROOT, "reload seconds=%.1f resaved_files_identical=%s", loadSeconds, identical));
        System.out.println(String.format(
                Locale.ROOT,
                "memory max_heap_MB=%d peak_heap_used_MB=%d peak_rss_before_save_MB=%d peak_rss_after_save_MB=%d"
                        + " peak_rss_after_reload_MB=%d",
                Runtime.getRuntime().maxMemory() >> 20,
                peakHeapUsedBytes() >> 20,
                residentBefore >> 10,
                residentAfterSave >> 10,
                peakResidentKb() >> 10));
    }

    static List<Path> weightFiles(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> f.getFileName().toString().contains("safetensors"))
                    .sorted()
                    .toList();
        }
    }

    static long weightBytes(Path dir) throws Exception {
        long bytes = 0;
        for (Path file : weightFiles(dir)) {
            bytes += Files.size(file);
        }
        return bytes;
    }

    /** VmHWM: the most resident memory the process has held, weights in native memory included. */
    static long peakResidentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM in /proc/self/status");
    }

    static long peakHeapUsedBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
