package dev.kiln.machinery.config;

/** The {@code cluster.controlPlane} section: the https URL of the Kubernetes API. */
public record ControlPlaneSection(String endpoint) {
}
