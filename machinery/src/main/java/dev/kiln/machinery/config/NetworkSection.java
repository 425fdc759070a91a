package dev.kiln.machinery.config;

/** The {@code machine.network} section; {@code hostname} is {@code null} when absent. */
public record NetworkSection(String hostname) {
}
