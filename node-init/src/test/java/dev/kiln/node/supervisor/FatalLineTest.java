package dev.kiln.node.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FatalLineTest {

    @Test
    void aZapFatalLineGivesItsMessageAndError() {
        String line = "{\"level\":\"fatal\",\"ts\":\"2026-12-04T20:00:00.000Z\",\"caller\":\"etcdmain/etcd.go:1\","
                + "\"msg\":\"failed to write WAL\",\"error\":\"write /e/member/wal/0.tmp: no space left on device\"}";
        assertEquals(Optional.of("failed to write WAL: write /e/member/wal/0.tmp: no space left on device"),
                FatalLine.reasonIn(line));
    }

    @Test
    void aZapPanicLineWithoutErrorGivesItsMessage() {
        assertEquals(Optional.of("failed to open database"),
                FatalLine.reasonIn("{\"level\":\"panic\",\"msg\":\"failed to open database\"}"));
    }

    @Test
    void aZapWarningIsNoReason() {
        assertEquals(Optional.empty(), FatalLine.reasonIn("{\"level\":\"warn\",\"msg\":\"slow fdatasync\"}"));
    }

    @Test
    void aCapnslogCriticalLineAndAGoPanicAreReasons() {
        assertEquals(Optional.of("open wal error: read-only file system"),
                FatalLine.reasonIn("2026-12-04 20:00:00.000000 C | etcdserver: open wal error: read-only file system"));
        assertEquals(Optional.of("runtime error: index out of range"),
                FatalLine.reasonIn("panic: runtime error: index out of range"));
    }
}
