package dev.kiln.machinery.config;

/**
 * The {@code cluster} section. Optional parts ({@code token}, {@code ca}, {@code aggregatorCA},
 * {@code serviceAccount}, {@code etcd}) are {@code null} when absent.
 */
public record ClusterSection(
    String id,
    String secret,
    String clusterName,
    ControlPlaneSection controlPlane,
    String token,
    PemPair ca,
    PemPair aggregatorCA,
    ServiceAccountSection serviceAccount,
    EtcdSection etcd) {
}
