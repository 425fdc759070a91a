package dev.kiln.capi.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HaltAfterBootstrapRecordTest {

    @Test
    void haltsAfterTheRecordWhenTheSwitchSaysExit() {
        AtomicInteger halts = new AtomicInteger();
        BootstrapFaults faults = HaltAfterBootstrapRecord.from(
                Map.of(HaltAfterBootstrapRecord.SWITCH, "exit")::get, halts::incrementAndGet);

        faults.afterRecordWritten(null, "cp-0");

        assertEquals(1, halts.get());
    }

    @Test
    void doesNothingWhenTheSwitchIsUnsetOrSaysSomethingElse() {
        Runnable mustNotHalt = () -> {
            throw new AssertionError("halted");
        };
        assertSame(BootstrapFaults.NONE, HaltAfterBootstrapRecord.from(Map.<String, String>of()::get, mustNotHalt));
        assertSame(BootstrapFaults.NONE, HaltAfterBootstrapRecord.from(
                Map.of(HaltAfterBootstrapRecord.SWITCH, "crash")::get, mustNotHalt));
    }
}
