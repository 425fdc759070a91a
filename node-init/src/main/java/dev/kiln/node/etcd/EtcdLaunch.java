package dev.kiln.node.etcd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One way of starting etcd, turned into its command line. A restart on existing data passes no initial-cluster
 * flags: etcd ignores them once its data directory holds a member.
 */
public sealed interface EtcdLaunch {

    /** The first member of a new cluster: the single Bootstrap of this cluster's life. */
    record NewCluster(String clusterToken) implements EtcdLaunch {
    }

    /** A learner that was added to an existing cluster and now starts with the others' peer URLs. */
    record JoinExisting(Map<String, String> initialCluster) implements EtcdLaunch {
    }

    /** Data directory already holds a member (a reboot, a crash, a restore): etcd resumes from it. */
    record Resume() implements EtcdLaunch {
    }

    /** Settings a production etcd 3.4 member runs with; each says why in the README's etcd section. */
    Map<String, String> PRODUCTION_FLAGS = Map.of(
            "pre-vote", "true",
            "strict-reconfig-check", "true",
            "enable-v2", "false",
            "quota-backend-bytes", Long.toString(2L * 1024 * 1024 * 1024),
            "max-request-bytes", Long.toString(1536 * 1024),
            "experimental-initial-corrupt-check", "true",
            "logger", "zap",
            "log-outputs", "stderr");

    static List<String> commandLine(String binary, String name, Path dataDir, EtcdEndpoints endpoints,
            EtcdTlsFiles tls, EtcdLaunch launch, Map<String, String> extraArgs) {
        Map<String, String> flags = new TreeMap<>();
        flags.put("name", name);
        flags.put("data-dir", dataDir.toString());
        flags.put("listen-client-urls", endpoints.clientUrl().toString());
        flags.put("advertise-client-urls", endpoints.clientUrl().toString());
        flags.put("listen-peer-urls", endpoints.peerUrl().toString());
        flags.put("initial-advertise-peer-urls", endpoints.peerUrl().toString());
        flags.put("cert-file", tls.serverCert().toString());
        flags.put("key-file", tls.serverKey().toString());
        flags.put("trusted-ca-file", tls.ca().toString());
        flags.put("client-cert-auth", "true");
        flags.put("peer-cert-file", tls.peerCert().toString());
        flags.put("peer-key-file", tls.peerKey().toString());
        flags.put("peer-trusted-ca-file", tls.ca().toString());
        flags.put("peer-client-cert-auth", "true");
        flags.put("auto-compaction-retention", "5m");
        flags.put("auto-compaction-mode", "periodic");
        flags.put("snapshot-count", "10000");
        flags.putAll(PRODUCTION_FLAGS);
        if (launch instanceof NewCluster cluster) {
            flags.put("initial-cluster", name + "=" + endpoints.peerUrl());
            flags.put("initial-cluster-state", "new");
            flags.put("initial-cluster-token", cluster.clusterToken());
        } else if (launch instanceof JoinExisting join) {
            flags.put("initial-cluster", initialCluster(join.initialCluster()));
            flags.put("initial-cluster-state", "existing");
        }
        flags.putAll(extraArgs);
        List<String> command = new ArrayList<>();
        command.add(binary);
        flags.forEach((flag, value) -> command.add("--" + flag + "=" + value));
        return command;
    }

    private static String initialCluster(Map<String, String> members) {
        return String.join(",", new TreeMap<>(members).entrySet().stream()
                .map(member -> member.getKey() + "=" + member.getValue()).toList());
    }
}
