package dev.kiln.backupstore;

import java.util.Objects;
import java.util.Optional;

/** An access key pair, read from a Secret; its text form never shows the secret parts. */
public record S3Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {

    public S3Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
    }

    @Override
    public String toString() {
        return "S3Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>"
                + sessionToken.map(t -> ", sessionToken=<redacted>").orElse("") + "]";
    }
}
