package dev.kiln.testenv;

import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keys in a cluster's etcd, written and read with {@code etcdctl} (Debian etcd-client, API v3) over TLS with a client
 * certificate issued here from the cluster's etcd CA (the secrets bundle Secret). An outside client, as a user's would
 * be: no etcd client library on this classpath.
 */
public final class Etcdctl {

    public static final Path BINARY = Path.of("/usr/bin/etcdctl");
    private static final int TXN_OPS = 100;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Path ca;
    private final Path cert;
    private final Path key;

    private Etcdctl(Path ca, Path cert, Path key) {
        this.ca = ca;
        this.cert = cert;
        this.key = key;
    }

    /** Issues a client certificate from the cluster's etcd CA into {@code dir}. */
    public static Etcdctl forCluster(KubernetesClient client, String namespace, String cluster, Path dir) {
        return forBundle(ClusterSecrets.load(client, namespace, cluster).orElseThrow(() ->
                new IllegalStateException("the secrets bundle Secret of cluster " + cluster + " does not exist")), dir);
    }

    /** Issues a client certificate from the bundle's etcd CA into {@code dir}. */
    public static Etcdctl forBundle(SecretsBundle bundle, Path dir) {
        IssuedCertificate issued = bundle.etcd().issue(
                CertificateRequest.client("kiln-scenario-etcdctl", Set.of(), Duration.ofHours(4)));
        try {
            Files.createDirectories(dir);
            return new Etcdctl(Files.writeString(dir.resolve("etcd-ca.crt"), bundle.etcd().certificatePem()),
                    Files.writeString(dir.resolve("etcdctl.crt"), issued.certificatePem()),
                    Files.writeString(dir.resolve("etcdctl.key"), issued.keyPem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The etcd client URL of a machine API address (host or host:port). */
    public static String clientUrl(String machineApiAddress) {
        String host = machineApiAddress.contains(":")
                ? machineApiAddress.substring(0, machineApiAddress.indexOf(':')) : machineApiAddress;
        return "https://" + host + ":2379";
    }

    public void put(List<String> endpoints, String key, String value) {
        run(endpoints, List.of("put", key, value));
    }

    /** Puts every entry, in transactions of at most {@value #TXN_OPS} (etcd's default limit is 128 operations). */
    public void putAll(List<String> endpoints, Map<String, String> entries) {
        List<Map.Entry<String, String>> all = List.copyOf(entries.entrySet());
        for (int from = 0; from < all.size(); from += TXN_OPS) {
            StringBuilder txn = new StringBuilder("\n");
            for (Map.Entry<String, String> entry : all.subList(from, Math.min(all.size(), from + TXN_OPS))) {
                txn.append("put ").append(entry.getKey()).append(' ').append(entry.getValue()).append('\n');
            }
            txn.append("\n\n");
            String out = run(endpoints, List.of("txn"), Optional.of(txn.toString()));
            if (!out.startsWith("SUCCESS")) {
                throw new IllegalStateException("etcdctl txn did not succeed: " + out.strip());
            }
        }
    }

    /** Writes a large value through standard input (etcdctl reads it there when none is given). */
    public void putLarge(List<String> endpoints, String key, String value) {
        run(endpoints, List.of("put", key), Optional.of(value));
    }

    /** How many keys are under {@code prefix}, as a linearizable read answers it. */
    public long countPrefix(List<String> endpoints, String prefix) {
        // etcdctl 3.4 has no --count-only; the JSON form of a keys-only read carries the count
        String json = run(endpoints, List.of("get", "--prefix", prefix, "--keys-only", "--write-out=json"));
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("\"count\":(\\d+)").matcher(json);
        return count.find() ? Long.parseLong(count.group(1)) : 0;
    }

    /** Every key under {@code prefix} with its value, as a linearizable read answers it. */
    public Map<String, String> getPrefix(List<String> endpoints, String prefix) {
        List<String> lines = run(endpoints, List.of("get", "--prefix", prefix)).lines().toList();
        if (lines.size() % 2 != 0) {
            throw new IllegalStateException("etcdctl get printed an odd number of lines:\n" + String.join("\n", lines));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i += 2) {
            values.put(lines.get(i), lines.get(i + 1));
        }
        return values;
    }

    private String run(List<String> endpoints, List<String> command) {
        return run(endpoints, command, Optional.empty());
    }

    private String run(List<String> endpoints, List<String> command, Optional<String> input) {
        List<String> line = new ArrayList<>(List.of(BINARY.toString(), "--endpoints", String.join(",", endpoints),
                "--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
                "--command-timeout", "10s"));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                if (input.isPresent()) {
                    stdin.write(input.get().getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("etcdctl " + command + " did not finish within " + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("etcdctl " + String.join(" ", command) + " against " + endpoints
                        + " exited with " + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running etcdctl", e);
        }
    }
}
