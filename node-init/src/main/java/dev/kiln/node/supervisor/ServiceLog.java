package dev.kiln.node.supervisor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A service's output, line by line: the last lines in memory for tail and follow, and every line
 * appended to {@code EPHEMERAL/logs/<id>.log}. Opening an existing file reloads its last lines, so
 * tail keeps working across node-init restarts. The file rotates once to {@code <id>.log.1}.
 *
 * <p>Appending is the one exception to writing files through {@code AtomicFiles}: a log is a stream,
 * and losing its last lines in a crash is acceptable.
 */
public final class ServiceLog implements AutoCloseable {

    public static final int DEFAULT_LINES = 1000;
    public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;
    private static final int FOLLOW_QUEUE = 8192;
    private static final int RELOAD_BYTES_PER_LINE = 512;

    private final String serviceId;
    private final Path file;
    private final long maxBytes;
    private final Feed<String> lines;
    private OutputStream out;
    private long size;
    private boolean closed;

    private ServiceLog(String serviceId, Path file, int capacity, long maxBytes) {
        this.serviceId = serviceId;
        this.file = file;
        this.maxBytes = maxBytes;
        this.lines = new Feed<>(capacity);
    }

    public static ServiceLog open(String serviceId, Path file) throws IOException {
        return open(serviceId, file, DEFAULT_LINES, DEFAULT_MAX_BYTES);
    }

    public static ServiceLog open(String serviceId, Path file, int capacity, long maxBytes) throws IOException {
        Objects.requireNonNull(serviceId, "serviceId");
        ServiceLog log = new ServiceLog(serviceId, file.toAbsolutePath(), capacity, maxBytes);
        for (String line : lastLinesOf(log.file, capacity)) {
            log.lines.publish(line);
        }
        try {
            Files.createDirectories(log.file.getParent());
            log.openFile();
        } catch (IOException e) {
            // A read-only or full disk must not cost the node its service; lines stay in memory until the file opens.
            log.out = null;
        }
        return log;
    }

    public String serviceId() {
        return serviceId;
    }

    public Path file() {
        return file;
    }

    /** Appends text; embedded line breaks make several lines, a trailing one makes none. */
    public void append(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\r?\n", -1)) {
            appendLine(line);
        }
    }

    /** The last {@code n} retained lines, oldest first. */
    public List<String> tail(int n) {
        return lines.tail(n);
    }

    /** Delivers the last {@code tail} lines and then each new one. The listener must not block. */
    public Subscription follow(int tail, Consumer<? super String> listener) {
        return lines.subscribe(all -> all.subList(Math.max(0, all.size() - Math.max(0, tail)), all.size()), listener);
    }

    /** A blocking-queue view of {@link #follow(int, Consumer)}. */
    public Follower<String> follow(int tail) {
        return lines.follow(all -> all.subList(Math.max(0, all.size() - Math.max(0, tail)), all.size()), FOLLOW_QUEUE);
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeFile();
    }

    private synchronized void appendLine(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        writeToFile(line);
        lines.publish(line);
    }

    private void writeToFile(String line) {
        if (closed) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null) {
                openFile();
            }
            if (size > 0 && size + bytes.length > maxBytes) {
                rotate();
            }
            out.write(bytes);
            out.flush();
            size += bytes.length;
        } catch (IOException e) {
            // Keep the line in memory; the file is retried on the next line.
            closeFile();
        }
    }

    private void openFile() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        closeFile();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        openFile();
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Nothing left to save.
            }
            out = null;
        }
    }

    private static List<String> lastLinesOf(Path file, int count) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = Math.max(0, size - (long) count * RELOAD_BYTES_PER_LINE);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            while (buf.hasRemaining() && ch.read(buf, start + buf.position()) >= 0) {
                // Keep reading until the buffer is full.
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            List<String> all = Arrays.asList(text.split("\n", -1));
            // A read that began mid-file starts with part of a line, and the text ends with "\n".
            int from = start > 0 ? 1 : 0;
            int to = all.size() - 1;
            if (to <= from) {
                return List.of();
            }
            return all.subList(Math.max(from, to - count), to);
        }
    }
}
