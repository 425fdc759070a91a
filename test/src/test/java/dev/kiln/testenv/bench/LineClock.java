package dev.kiln.testenv.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Follows log files that carry no timestamps of their own (node consoles, node-init's etcd.log) and stamps each new
 * line with the moment it was first seen. Polled every {@value #POLL_MILLIS} ms, so a stamp is that much late at most.
 */
final class LineClock implements AutoCloseable {

    private static final long POLL_MILLIS = 20;

    /** A line of {@code source} first seen at {@code at}. */
    record Stamped(Instant at, String source, String line) {
    }

    private final Map<String, Path> files;
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final Map<String, StringBuilder> partial = new LinkedHashMap<>();
    private final List<Stamped> lines = new CopyOnWriteArrayList<>();
    private final Thread poller;
    private volatile boolean running = true;

    /** Follows each file (by label) from its current end; a file that does not exist yet is followed from its start. */
    static LineClock start(Map<String, Path> files) {
        return new LineClock(files);
    }

    private LineClock(Map<String, Path> files) {
        this.files = new LinkedHashMap<>(files);
        this.files.forEach((label, file) -> {
            offsets.put(label, size(file));
            partial.put(label, new StringBuilder());
        });
        poller = new Thread(this::poll, "line-clock");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running) {
            files.forEach(this::read);
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(String label, Path file) {
        long offset = offsets.get(label);
        long size = size(file);
        if (size <= offset) {
            return;
        }
        Instant now = Instant.now();
        byte[] bytes;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            bytes = new byte[(int) Math.min(size - offset, 1 << 20)];
            in.readFully(bytes);
        } catch (IOException e) {
            return;
        }
        offsets.put(label, offset + bytes.length);
        StringBuilder text = partial.get(label).append(new String(bytes, StandardCharsets.UTF_8));
        int newline;
        while ((newline = text.indexOf("\n")) >= 0) {
            lines.add(new Stamped(now, label, text.substring(0, newline)));
            text.delete(0, newline + 1);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every line seen so far, in the order seen. */
    List<Stamped> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.interrupt();
        poller.join(2_000);
        files.forEach(this::read);
    }
}
