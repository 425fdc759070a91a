package dev.kiln.node.supervisor;

import java.util.Objects;

/** The result of one health check. */
public record Health(Status status, String message) {

    public enum Status { UNKNOWN, HEALTHY, UNHEALTHY }

    public Health {
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
    }

    public static Health healthy(String message) {
        return new Health(Status.HEALTHY, message);
    }

    public static Health unhealthy(String message) {
        return new Health(Status.UNHEALTHY, message);
    }

    public static Health unknown(String message) {
        return new Health(Status.UNKNOWN, message);
    }

    public boolean isHealthy() {
        return status == Status.HEALTHY;
    }

    public boolean isUnknown() {
        return status == Status.UNKNOWN;
    }
}
