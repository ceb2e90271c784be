package org.tsr.engine.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bfloat16 arithmetic through two tiny TorchScript modules the engine writes itself: DJL 0.36 cannot name the dtype
 * (its native library aborts on it), but libtorch computes in it. A bfloat16 array here is opaque to DJL: it reports
 * its dtype as UNKNOWN, and only {@link #linear} and {@code toType(FLOAT32)} may touch it.
 */
public final class Bfloat16 implements AutoCloseable {

    private static final String TO_BFLOAT16 = """
            class ToBfloat16(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.ToBfloat16,
                x: Tensor) -> Tensor:
                return torch.to(x, 15)
            """;

    private static final String LINEAR = """
            class Bfloat16Linear(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Bfloat16Linear,
                x: Tensor,
                weight: Tensor) -> Tensor:
                return torch.to(torch.linear(torch.to(x, 15), weight), 6)
            """;

    private final PtSymbolBlock toBfloat16;
    private final PtSymbolBlock linear;

    private Bfloat16(PtSymbolBlock toBfloat16, PtSymbolBlock linear) {
        this.toBfloat16 = toBfloat16;
        this.linear = linear;
    }

    /** Loads the modules into {@code manager} (on its device). */
    public static Bfloat16 load(NDManager manager) {
        try {
            Path dir = Files.createTempDirectory("tsr-bfloat16");
            try {
                PtSymbolBlock cast =
                        module(manager, TorchScriptArchive.write(dir.resolve("to_bf16.pt"), "ToBfloat16", TO_BFLOAT16));
                PtSymbolBlock product =
                        module(manager, TorchScriptArchive.write(dir.resolve("linear.pt"), "Bfloat16Linear", LINEAR));
                return new Bfloat16(cast, product);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bfloat16 modules", e);
        }
    }

    private static PtSymbolBlock module(NDManager manager, Path file) {
        return JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], false);
    }

    /** A bfloat16 copy of a float32 array, in the array's manager; no gradient flows through it. */
    public NDArray copyOf(NDArray values) {
        NDArray copy = toBfloat16
                .forward(new ParameterStore(values.getManager(), false), new NDList(unnamed(values)), false)
                .singletonOrThrow();
        copy.attach(values.getManager());
        return copy;
    }

    /** DJL hands named arrays (a parameter's) to TorchScript as a dict; a view without the name goes as a tensor. */
    private static NDArray unnamed(NDArray array) {
        return array.getName() == null ? array : array.reshape(array.getShape());
    }

    /** x W^T with x float32 and W a bfloat16 copy: computed in bfloat16, returned in float32 (x's manager). */
    public NDArray linear(NDArray x, NDArray bfloat16Weight) {
        NDArray y = linear.forward(
                        new ParameterStore(x.getManager(), false), new NDList(unnamed(x), bfloat16Weight), false)
                .singletonOrThrow();
        y.attach(x.getManager());
        return y;
    }

    /** Frees the modules before their manager closes (which frees them too). */
    @Override
    public void close() {
        toBfloat16.close();
        linear.close();
    }
}
