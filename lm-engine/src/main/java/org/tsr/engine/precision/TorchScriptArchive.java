package org.tsr.engine.precision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript module without parameters, as {@code torch.jit.save} lays one out, from the TorchScript source
 * of its class: the engine's way to run an operation DJL cannot express, such as a cast to bfloat16 (DJL 0.36's
 * native library aborts the JVM on any bfloat16 dtype it is handed).
 */
final class TorchScriptArchive {

    private TorchScriptArchive() {}

    /**
     * @param className the module class, defined in {@code source} as {@code class <name>(Module)}
     * @param source TorchScript source of the class, with its {@code forward}
     */
    static Path write(Path file, String className, String source) {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            entry(zip, "archive/data.pkl", moduleObject(className));
            entry(zip, "archive/code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
            // an empty tuple: the module has no constants
            entry(zip, "archive/constants.pkl", new byte[] {(byte) 0x80, 0x02, ')', '.'});
            entry(zip, "archive/version", "3".getBytes(StandardCharsets.US_ASCII));
            entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the TorchScript module " + file, e);
        }
    }

    /** A pickle (protocol 2) of an instance of {@code __torch__.<className>} whose state is {training: False}. */
    private static byte[] moduleObject(String className) {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) 0x80, 2}); // PROTO 2
        pickle.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        pickle.writeBytes(new byte[] {'q', 0, ')', (byte) 0x81, '}', 'q', 1}); // memo, EMPTY_TUPLE NEWOBJ, EMPTY_DICT
        byte[] training = "training".getBytes(StandardCharsets.US_ASCII);
        pickle.writeBytes(new byte[] {'X', (byte) training.length, 0, 0, 0}); // BINUNICODE
        pickle.writeBytes(training);
        pickle.writeBytes(new byte[] {'q', 2, (byte) 0x89, 's', 'b', '.'}); // memo, NEWFALSE, SETITEM, BUILD, STOP
        return pickle.toByteArray();
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
