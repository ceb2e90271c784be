package org.tsr.trainer.checkpoint;

/**
 * The element types a safetensors header may name, with their sizes. The engine's own dtype list is limited to
 * the float types it can load; a checkpoint written elsewhere may also hold integer buffers or 8-bit floats,
 * which are valid even though the engine would not read them.
 */
enum SafetensorsDtype {
    BOOL(1),
    U8(1),
    I8(1),
    F8_E5M2(1),
    F8_E4M3(1),
    F8_E8M0(1),
    I16(2),
    U16(2),
    F16(2),
    BF16(2),
    I32(4),
    U32(4),
    F32(4),
    I64(8),
    U64(8),
    F64(8);

    private final int bytes;

    SafetensorsDtype(int bytes) {
        this.bytes = bytes;
    }

    int bytes() {
        return bytes;
    }

    /** The dtype named {@code name}, or null for a name safetensors does not define. */
    static SafetensorsDtype parse(String name) {
        for (SafetensorsDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return dtype;
            }
        }
        return null;
    }
}
