package dev.kiln.capi.etcd;

import java.util.function.UnaryOperator;

/**
 * Test-only fault switch: with the environment variable or system property {@value #SWITCH} set to {@code exit}, the
 * operator process halts with exit code 137 (as if SIGKILLed) right after writing the bootstrap record and before
 * calling Bootstrap. End-to-end tests use it to prove that a restarted operator (or another replica) finishes the
 * bootstrap through the record without a second etcd cluster. Unset or any other value: no fault.
 */
public final class HaltAfterBootstrapRecord {

    public static final String SWITCH = "KILN_FAULT_AFTER_BOOTSTRAP_RECORD";
    static final int KILLED_EXIT_CODE = 137;

    private HaltAfterBootstrapRecord() {
    }

    /** Reads the switch from the process environment, then from the system properties. */
    public static BootstrapFaults fromEnvironment() {
        return from(name -> {
            String value = System.getenv(name);
            return value != null ? value : System.getProperty(name);
        }, () -> Runtime.getRuntime().halt(KILLED_EXIT_CODE));
    }

    static BootstrapFaults from(UnaryOperator<String> settings, Runnable halt) {
        if (!"exit".equals(settings.apply(SWITCH))) {
            return BootstrapFaults.NONE;
        }
        return (cluster, machine) -> halt.run();
    }
}
