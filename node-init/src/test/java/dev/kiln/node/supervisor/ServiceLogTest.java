package dev.kiln.node.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceLogTest {

    @TempDir
    Path dir;

    @Test
    void keepsLastLinesInMemoryAndEveryLineOnDisk() throws IOException {
        Path file = dir.resolve("logs/etcd.log");
        try (ServiceLog log = ServiceLog.open("etcd", file, 3, ServiceLog.DEFAULT_MAX_BYTES)) {
            log.append("one\ntwo\r\nthree\n");
            log.append("four");

            assertEquals(List.of("three", "four"), log.tail(2));
            assertEquals(List.of("two", "three", "four"), log.tail(10));
        }
        assertEquals(List.of("one", "two", "three", "four"), Files.readAllLines(file));
    }

    @Test
    void reopeningReloadsTheLastLinesFromTheFile() throws IOException {
        Path file = dir.resolve("etcd.log");
        try (ServiceLog log = ServiceLog.open("etcd", file)) {
            log.append("before restart");
        }
        try (ServiceLog log = ServiceLog.open("etcd", file)) {
            log.append("after restart");

            assertEquals(List.of("before restart", "after restart"), log.tail(5));
        }
    }

    @Test
    void followDeliversBacklogThenNewLinesUntilClosed() throws Exception {
        try (ServiceLog log = ServiceLog.open("etcd", dir.resolve("etcd.log"))) {
            log.append("a");
            log.append("b");
            List<String> seen = new CopyOnWriteArrayList<>();
            Subscription subscription = log.follow(1, seen::add);
            try (Follower<String> follower = log.follow(0)) {
                log.append("c");
                subscription.close();
                log.append("d");

                assertEquals(List.of("b", "c"), seen);
                assertEquals("c", follower.poll(Duration.ofSeconds(5)).orElseThrow());
                assertEquals("d", follower.poll(Duration.ofSeconds(5)).orElseThrow());
            }
        }
    }

    @Test
    void rotatesOnceTheFileIsFull() throws IOException {
        Path file = dir.resolve("etcd.log");
        try (ServiceLog log = ServiceLog.open("etcd", file, 100, 10)) {
            log.append("12345678");
            log.append("abcdefgh");
        }
        assertEquals(List.of("12345678"), Files.readAllLines(dir.resolve("etcd.log.1")));
        assertEquals(List.of("abcdefgh"), Files.readAllLines(file));
    }
}
