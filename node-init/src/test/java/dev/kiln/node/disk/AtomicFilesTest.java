package dev.kiln.node.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void overwriteReplacesContentAndLeavesNoTempFiles() throws IOException {
        Path target = dir.resolve("config.yaml");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new");

        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void readersSeeOldOrNewContentNeverAPartialFile() throws Exception {
        Path target = dir.resolve("big");
        byte[] a = filled((byte) 'a');
        byte[] b = filled((byte) 'b');
        AtomicFiles.write(target, a);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                while (writing.get() || reads.get() == 0) {
                    byte[] seen = Files.readAllBytes(target);
                    reads.incrementAndGet();
                    if (!Arrays.equals(seen, a) && !Arrays.equals(seen, b)) {
                        throw new AssertionError("torn read of " + seen.length + " bytes");
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        for (int i = 0; i < 40; i++) {
            AtomicFiles.write(target, i % 2 == 0 ? b : a);
        }
        writing.set(false);
        reader.join();

        assertArrayEquals(a, Files.readAllBytes(target));
        assertTrue(reads.get() > 0);
        assertEquals(List.of(target), listing());
    }

    @Test
    void failedWriteLeavesTargetUntouchedAndNoTempFiles() throws IOException {
        // rename(2) cannot replace a non-empty directory, so the final step fails.
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("inside"));

        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "data"));

        assertTrue(Files.isDirectory(target.resolve("inside")));
        assertEquals(List.of(target), listing());
    }

    @Test
    void secretsAreReadableByOwnerOnly() throws IOException {
        Path key = dir.resolve("maintenance.key");
        AtomicFiles.writeSecret(key, "secret".getBytes(StandardCharsets.UTF_8));
        Path cert = dir.resolve("maintenance.crt");
        AtomicFiles.write(cert, "cert".getBytes(StandardCharsets.UTF_8));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)));
    }

    @Test
    void staleTempFilesFromAnInterruptedWriteAreRemoved() throws IOException {
        Files.writeString(dir.resolve(".config.yaml.123.kiln-tmp"), "half");
        Files.writeString(dir.resolve("config.yaml"), "whole");

        assertEquals(1, AtomicFiles.removeStaleTemps(dir));
        assertEquals(List.of(dir.resolve("config.yaml")), listing());
    }

    @Test
    void copyReplacesTheTargetWithTheWholeSourceAndLeavesNoTempFiles() throws IOException {
        Path source = dir.resolve("source.jar");
        byte[] data = filled((byte) 'j');
        data[data.length - 1] = 'z';
        Files.write(source, data);
        Path target = dir.resolve("slot").resolve("node-init.jar");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "an older, shorter image");

        AtomicFiles.copy(source, target);

        assertArrayEquals(data, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static byte[] filled(byte value) {
        byte[] data = new byte[1 << 20];
        Arrays.fill(data, value);
        return data;
    }
}
