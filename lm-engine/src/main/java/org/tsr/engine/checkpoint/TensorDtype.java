package org.tsr.engine.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The safetensors element types this engine reads; all are widened to float32 on load. */
enum TensorDtype {
    F32(4),
    BF16(2),
    F16(2);

    private final int bytes;

    TensorDtype(int bytes) {
        this.bytes = bytes;
    }

    int bytes() {
        return bytes;
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
}
