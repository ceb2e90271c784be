package org.tsr.engine.checkpoint;

import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/**
 * The safetensors element types this engine reads and writes. The engine computes in float32, so tensors are
 * widened on load; a save narrows them back to the dtype they were stored in, which is exact because widening
 * bfloat16 or float16 to float32 loses nothing.
 */
public enum TensorDtype {
    F32(4, DataType.FLOAT32, "float32"),
    BF16(2, DataType.BFLOAT16, "bfloat16"),
    F16(2, DataType.FLOAT16, "float16");

    private final int bytes;
    private final DataType djlType;
    private final String torchName;

    TensorDtype(int bytes, DataType djlType, String torchName) {
        this.bytes = bytes;
        this.djlType = djlType;
        this.torchName = torchName;
    }

    public int bytes() {
        return bytes;
    }

    public DataType djlType() {
        return djlType;
    }

    /** The name config.json's {@code torch_dtype} uses. */
    public String torchName() {
        return torchName;
    }

    /** The dtype most tensors are stored in (config.json names one dtype for the model); F32 for none. */
    public static TensorDtype mostCommon(Collection<TensorDtype> dtypes) {
        Map<TensorDtype, Integer> counts = new EnumMap<>(TensorDtype.class);
        dtypes.forEach(dtype -> counts.merge(dtype, 1, Integer::sum));
        return counts.entrySet().stream()
                .max(Comparator.comparingInt(Map.Entry<TensorDtype, Integer>::getValue))
                .map(Map.Entry::getKey)
                .orElse(F32);
    }

    /** Decodes little-endian elements from {@code source} into float32. */
    float[] decode(ByteBuffer source, int count) {
        ByteBuffer in = source.order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (this) {
            case F32 -> in.asFloatBuffer().get(out);
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    // bfloat16 is the upper half of a float32
                    out[i] = Float.intBitsToFloat((in.getShort(i * 2) & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(in.getShort(i * 2));
                }
            }
        }
        return out;
    }

    /** Rounds a float32 to this 16-bit dtype's bits, to nearest, ties to even, as PyTorch's conversion does. */
    short narrow(float value) {
        return switch (this) {
            case BF16 -> floatToBfloat16(value);
            case F16 -> floatToHalf(value);
            case F32 -> throw new IllegalStateException("float32 is not narrowed");
        };
    }

    static TensorDtype parse(String name) {
        for (TensorDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }

    /** IEEE 754 binary16 to binary32 (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // subnormal half: value = mantissa * 2^-24
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            // keep it a NaN: truncation alone could leave only zero mantissa bits, which reads as infinity
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** IEEE 754 binary32 to binary16, round to nearest even, with subnormals, overflow to infinity and NaN kept. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (halfExponent <= 0) {
            if (halfExponent < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to zero
            }
            // subnormal half: the value in units of 2^-24, with the implicit leading bit made explicit
            int full = mantissa | 0x800000;
            int shift = 14 - halfExponent;
            return (short) (sign | roundShift(full, shift));
        }
        // a carry out of the mantissa correctly bumps the exponent (up to infinity)
        return (short) (sign | (roundShift((halfExponent << 23) | mantissa, 13)));
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        return rest > half || (rest == half && (kept & 1) != 0) ? kept + 1 : kept;
    }
}
