package dev.kiln.operator;

/** What /healthz and /readyz report. */
public interface OperatorHealth {

    /** A verdict and the one-line reason shown in the response body. */
    record Check(boolean ok, String reason) {

        public static Check ok(String reason) {
            return new Check(true, reason);
        }

        public static Check failing(String reason) {
            return new Check(false, reason);
        }
    }

    /** Whether the process should be left running (false asks the kubelet to restart it). */
    Check liveness();

    /** Whether this replica is started and its caches are in sync with the API server. */
    Check readiness();
}
