package dev.kiln.kilnctl.node;

/** One health check's verdict on one sample of the nodes. */
sealed interface CheckResult permits CheckResult.Passed, CheckResult.Failing {

    CheckResult PASSED = new Passed();

    record Passed() implements CheckResult {
    }

    /** Not yet: {@code reason} is what is still wrong. */
    record Failing(String reason) implements CheckResult {
    }
}
