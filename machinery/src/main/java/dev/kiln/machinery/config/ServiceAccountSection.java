package dev.kiln.machinery.config;

/** The {@code cluster.serviceAccount} section: base64 PEM of the service account signing key. */
public record ServiceAccountSection(String key) {
}
