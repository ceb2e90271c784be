package org.tsr.engine.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a finished checkpoint folder durable and tamper-evident before it is published: every file's SHA-256 goes
 * into {@value #FILE_NAME} (the {@code sha256sum} format), and every file and the folder itself are forced to disk,
 * so that the rename that publishes the folder never exposes files a crash could still lose. Loading checks the
 * checksums of a sealed folder; a folder without the file (an imported Hugging Face model) is read as it is.
 */
public final class CheckpointSeal {

    public static final String FILE_NAME = "checksums.sha256";

    private CheckpointSeal() {}

    /** Writes the checksums of the folder's files and forces the files, the checksums and the folder to disk. */
    public static void seal(Path dir) {
        try {
            List<String> lines = new ArrayList<>();
            for (Path file : files(dir)) {
                lines.add(sha256(file) + "  " + dir.relativize(file).toString().replace('\\', '/'));
                force(file);
            }
            Path sums = dir.resolve(FILE_NAME);
            Files.writeString(sums, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
            force(sums);
            forceDirectory(dir);
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot seal the checkpoint: " + e.getMessage(), e);
        }
    }

    /** Forces a folder's entry list to disk: after a rename into it, or after files were created in it. */
    public static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open a folder for reading; their renames are durable on their own terms
        }
    }

    /**
     * Checks a sealed folder's files against its checksums.
     *
     * @throws CheckpointException naming the first file that is missing or changed
     */
    public static void verify(Path dir) {
        Path sums = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(sums)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                int split = line.indexOf("  ");
                if (split != 64) {
                    throw new CheckpointException(dir, FILE_NAME + " has a malformed line: " + line);
                }
                Path file = dir.resolve(line.substring(split + 2)).normalize();
                if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
                    throw new CheckpointException(
                            dir, "the checkpoint is incomplete: " + line.substring(split + 2) + " is missing");
                }
                if (!sha256(file).equals(line.substring(0, split))) {
                    throw new CheckpointException(
                            dir,
                            "the checkpoint is corrupt: " + line.substring(split + 2) + " does not match its checksum");
                }
            }
        } catch (IOException e) {
            throw new CheckpointException(dir, "cannot check the checkpoint: " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().equals(FILE_NAME))
                    .sorted()
                    .toList();
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void force(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
