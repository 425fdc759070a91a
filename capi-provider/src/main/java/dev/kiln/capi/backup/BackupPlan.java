package dev.kiln.capi.backup;

import dev.kiln.backupstore.S3Destination;
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
        Destination destination = destination("spec.destination", spec.getDestination(), problems);
        if (!problems.isEmpty()) {
            return new Invalid(List.copyOf(problems));
        }
        return new Valid(spec.getClusterName(), schedule, retention, Boolean.TRUE.equals(spec.getSuspend()),
                destination.s3(), destination.credentialsSecret());
    }

    /** A checked S3 location and the name of its credentials Secret. */
    record Destination(S3Destination s3, String credentialsSecret) {}

    /** Checks a destination, adding each problem under {@code path}; null when there is any. */
    static Destination destination(String path, BackupDestination destination, List<String> problems) {
        if (destination == null) {
            problems.add(path + ": required");
            return null;
        }
        int before = problems.size();
        URI endpoint = endpoint(path + ".endpoint", destination.getEndpoint(), problems);
        if (blank(destination.getBucket())) {
            problems.add(path + ".bucket: required");
        }
        if (destination.getPrefix() != null && destination.getPrefix().startsWith("/")) {
            problems.add(path + ".prefix: must not start with '/', got '" + destination.getPrefix() + "'");
        }
        if (destination.getCredentialsSecretRef() == null || blank(destination.getCredentialsSecretRef().getName())) {
            problems.add(path + ".credentialsSecretRef.name: required");
        }
        if (problems.size() > before) {
            return null;
        }
        return new Destination(new S3Destination(endpoint, destination.getBucket(), destination.getPrefix(),
                destination.getRegion(), Boolean.TRUE.equals(destination.getForcePathStyle())),
                destination.getCredentialsSecretRef().getName());
    }

    private static URI endpoint(String path, String text, List<String> problems) {
        if (blank(text)) {
            problems.add(path + ": required, e.g. https://s3.eu-west-1.amazonaws.com");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(path + ": '" + text + "' is not an http(s) URL with a host");
                return null;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problems.add(path + ": '" + text + "' must not carry a query, fragment or user");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(path + ": '" + text + "' is not a URL (" + e.getReason() + ")");
            return null;
        }
    }

    static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
