package dev.kiln.machinery.client;

import io.grpc.Status;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Set;

/**
 * Retries for idempotent calls only: reads may be repeated, changes never are. A node whose certificate was rejected
 * is not asked again: a retry meets the same certificate, and only delays a caller that would ask with other
 * credentials next.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(2));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry policy: maxAttempts must be at least 1");
        }
    }

    boolean isRetryable(Status status) {
        return RETRYABLE.contains(status.getCode()) && !certificateRejected(status.getCause());
    }

    private static boolean certificateRejected(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    Duration backoffBefore(int attempt) {
        long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
