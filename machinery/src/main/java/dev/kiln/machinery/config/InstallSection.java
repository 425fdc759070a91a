package dev.kiln.machinery.config;

/** The {@code machine.install} section; {@code image} is {@code null} when absent, {@code wipe} defaults to false. */
public record InstallSection(String disk, String image, boolean wipe) {
}
