package dev.kiln.capi.backup;

import dev.kiln.capi.api.controlplane.v1alpha1.BackupDestination;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A KilnEtcdBackup spec, checked: what to back up, when, how many to keep and where; or every problem, by path. */
public sealed interface BackupPlan {

    record Valid(String clusterName, BackupSchedule schedule, int retention, boolean suspended,
            S3Destination destination, String credentialsSecret) implements BackupPlan {}

    record Invalid(List<String> problems) implements BackupPlan {}

    static BackupPlan of(KilnEtcdBackupSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            return new Invalid(List.of("spec: required"));
        }
        if (blank(spec.getClusterName())) {
            problems.add("spec.clusterName: required");
        }
        BackupSchedule schedule = null;
        try {
            schedule = BackupSchedule.parse("spec.schedule", spec.getSchedule());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        int retention = Objects.requireNonNullElse(spec.getRetention(), 7);
        if (retention < 1) {
            problems.add("spec.retention: must be at least 1, got " + retention);
        }
        BackupDestination destination = spec.getDestination();
        S3Destination s3 = null;
        String secret = null;
        if (destination == null) {
            problems.add("spec.destination: required");
        } else {
            URI endpoint = endpoint(destination.getEndpoint(), problems);
            if (blank(destination.getBucket())) {
                problems.add("spec.destination.bucket: required");
            }
            if (destination.getPrefix() != null && destination.getPrefix().startsWith("/")) {
                problems.add("spec.destination.prefix: must not start with '/', got '" + destination.getPrefix() + "'");
            }
            if (destination.getCredentialsSecretRef() == null || blank(destination.getCredentialsSecretRef().getName())) {
                problems.add("spec.destination.credentialsSecretRef.name: required");
            } else {
                secret = destination.getCredentialsSecretRef().getName();
            }
            if (endpoint != null && !blank(destination.getBucket())) {
                s3 = new S3Destination(endpoint, destination.getBucket(), destination.getPrefix(),
                        destination.getRegion(), Boolean.TRUE.equals(destination.getForcePathStyle()));
            }
        }
        if (!problems.isEmpty()) {
            return new Invalid(List.copyOf(problems));
        }
        return new Valid(spec.getClusterName(), schedule, retention, Boolean.TRUE.equals(spec.getSuspend()), s3,
                secret);
    }

    private static URI endpoint(String text, List<String> problems) {
        if (blank(text)) {
            problems.add("spec.destination.endpoint: required, e.g. https://s3.eu-west-1.amazonaws.com");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add("spec.destination.endpoint: '" + text + "' is not an http(s) URL with a host");
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problems.add("spec.destination.endpoint: '" + text + "' must not carry a query, fragment or user");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add("spec.destination.endpoint: '" + text + "' is not a URL (" + e.getReason() + ")");
            return null;
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
