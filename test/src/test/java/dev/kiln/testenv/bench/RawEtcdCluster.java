package dev.kiln.testenv.bench;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * etcd 3.4 formed by hand, as an operator without Kiln would: one {@code /usr/bin/etcd} process per member with a static
 * {@code --initial-cluster}, TLS for clients and peers with client-certificate checks on both, certificates issued by
 * machinery's PKI with the same requests node-init makes, and the flags node-init passes. Health is etcd's own
 * {@code /health} over HTTPS with a client certificate; membership changes go through {@code etcdctl}.
 */
final class RawEtcdCluster implements AutoCloseable {

    static final Path ETCD = Path.of("/usr/bin/etcd");
    static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");
    private static final Duration VALIDITY = Duration.ofDays(1);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** Mirrors node-init's EtcdLaunch.PRODUCTION_FLAGS and its compaction settings, so both sides run the same etcd. */
    private static final Map<String, String> NODE_FLAGS = Map.ofEntries(
            Map.entry("pre-vote", "true"),
            Map.entry("strict-reconfig-check", "true"),
            Map.entry("enable-v2", "false"),
            Map.entry("quota-backend-bytes", Long.toString(2L * 1024 * 1024 * 1024)),
            Map.entry("max-request-bytes", Long.toString(1536 * 1024)),
            Map.entry("experimental-initial-corrupt-check", "true"),
            Map.entry("logger", "zap"),
            Map.entry("log-outputs", "stderr"),
            Map.entry("auto-compaction-retention", "5m"),
            Map.entry("auto-compaction-mode", "periodic"),
            Map.entry("snapshot-count", "10000"));

    /** One etcd member: its name, loopback address, TLS files and (once started) process. */
    record Member(String name, String address, Path dir, Process process) {

        String clientUrl() {
            return "https://" + address + ":2379";
        }

        String peerUrl() {
            return "https://" + address + ":2380";
        }
    }

    private final Path dir;
    private final CertificateAuthority ca;
    private final Path caFile;
    private final Path clientCert;
    private final Path clientKey;
    private final HttpClient https;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "raw-etcd-cleanup");

    private RawEtcdCluster(Path dir, CertificateAuthority ca, IssuedCertificate client) {
        this.dir = dir;
        this.ca = ca;
        try {
            Files.createDirectories(dir);
            caFile = Files.writeString(dir.resolve("etcd-ca.crt"), ca.certificatePem());
            clientCert = Files.writeString(dir.resolve("client.crt"), client.certificatePem());
            clientKey = Files.writeString(dir.resolve("client.key"), client.keyPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
        https = HttpClient.newBuilder().sslContext(sslContext(ca, client)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build();
    }

    /** A cluster yet to start, under {@code dir}, trusting {@code ca}; nothing runs until {@link #form}. */
    static RawEtcdCluster prepare(Path dir, CertificateAuthority ca) {
        return new RawEtcdCluster(dir, ca,
                ca.issue(CertificateRequest.client("kiln-bench-etcd-client", Set.of(), VALIDITY)));
    }

    /**
     * Starts one member per address with a static initial cluster and returns once every client URL reports healthy.
     * Certificates are issued before the clock starts; the time runs from the first process start.
     */
    Duration form(List<String> addresses, Duration within) throws InterruptedException {
        List<Member> planned = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            planned.add(issue("raw-" + (i + 1), addresses.get(i)));
        }
        String initialCluster = initialCluster(planned);
        long start = System.nanoTime();
        for (Member member : planned) {
            members.add(start(member, initialCluster, "new"));
        }
        awaitHealthy(members, within);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Replaces a follower (the first by name that is not the leader) by a fresh member on {@code newAddress}:
     * {@code etcdctl member remove}, waiting for the removed etcd to exit, {@code etcdctl member add}, starting the new
     * etcd with the others' peer URLs, until every remaining member and the new one report healthy. etcdctl is
     * retried while etcd answers that the cluster is not ready for a change, as an operator's script would.
     */
    Duration replaceFollower(String newAddress, Duration within) throws InterruptedException {
        String leader = leaderName();
        Member old = members.stream().filter(m -> !m.name().equals(leader)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no follower among " + members));
        List<Member> staying = members.stream().filter(m -> m != old).toList();
        Member fresh = issue("raw-" + (members.size() + 1), newAddress);
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        String oldId = memberIds(staying).get(old.name());
        if (oldId == null) {
            throw new IllegalStateException("etcd lists no member " + old.name() + ": " + memberIds(staying));
        }
        membershipChange(staying, deadline, "member", "remove", oldId);
        // etcd exits by itself once it learns of its removal; a fresh member must not find it serving
        if (!old.process().waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            old.process().destroyForcibly();
        }
        membershipChange(staying, deadline, "member", "add", fresh.name(), "--peer-urls=" + fresh.peerUrl());
        List<Member> after = new ArrayList<>(staying);
        after.add(fresh);
        Member started = start(fresh, initialCluster(after), "existing");
        members.remove(old);
        members.add(started);
        awaitHealthy(members, within);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Map<String, String> listed = memberIds(members);
        if (listed.size() != 3 || listed.containsKey(old.name()) || !listed.containsKey(fresh.name())) {
            throw new IllegalStateException("after replacing " + old.name() + " etcd lists " + listed);
        }
        return took;
    }

    /** Runs a membership command, again every 100 ms while etcd refuses it as unsafe for now or times out. */
    private void membershipChange(List<Member> endpoints, long deadline, String... command)
            throws InterruptedException {
        while (true) {
            try {
                etcdctl(endpoints, command);
                return;
            } catch (IllegalStateException e) {
                boolean retryable = e.getMessage().contains("unhealthy cluster")
                        || e.getMessage().contains("deadline exceeded");
                if (!retryable || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The name of the member every endpoint names as leader. */
    private String leaderName() {
        Map<String, String> ids = memberIds(members);
        // endpoint status (simple): endpoint, ID, version, db size, is leader, is learner, raft term, ...
        for (String line : etcdctl(members, "endpoint", "status").lines().toList()) {
            String[] fields = line.split(",\\s*");
            if (fields.length > 4 && fields[4].equals("true")) {
                return ids.entrySet().stream().filter(e -> e.getValue().equals(fields[1])).map(Map.Entry::getKey)
                        .findFirst().orElseThrow(() -> new IllegalStateException("leader " + fields[1]
                                + " is not among " + ids));
            }
        }
        throw new IllegalStateException("no endpoint reports being the leader");
    }

    List<Member> members() {
        return List.copyOf(members);
    }

    private Member issue(String name, String address) {
        Path memberDir = dir.resolve(name);
        List<String> names = List.of(name, "localhost");
        // etcd 3.4 checks a peer's IP SANs against the connection's source, and loopback peers dial from 127.0.0.1
        List<String> ips = List.of(address, "127.0.0.1");
        IssuedCertificate server = ca.issue(CertificateRequest.peer(name, names, ips, VALIDITY));
        IssuedCertificate peer = ca.issue(CertificateRequest.peer(name, names, ips, VALIDITY));
        try {
            Files.createDirectories(memberDir);
            Files.writeString(memberDir.resolve("server.crt"), server.certificatePem());
            Files.writeString(memberDir.resolve("server.key"), server.keyPem());
            Files.writeString(memberDir.resolve("peer.crt"), peer.certificatePem());
            Files.writeString(memberDir.resolve("peer.key"), peer.keyPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Member(name, address, memberDir, null);
    }

    private Member start(Member member, String initialCluster, String state) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("name", member.name());
        flags.put("data-dir", member.dir().resolve("data").toString());
        flags.put("listen-client-urls", member.clientUrl());
        flags.put("advertise-client-urls", member.clientUrl());
        flags.put("listen-peer-urls", member.peerUrl());
        flags.put("initial-advertise-peer-urls", member.peerUrl());
        flags.put("cert-file", member.dir().resolve("server.crt").toString());
        flags.put("key-file", member.dir().resolve("server.key").toString());
        flags.put("trusted-ca-file", caFile.toString());
        flags.put("client-cert-auth", "true");
        flags.put("peer-cert-file", member.dir().resolve("peer.crt").toString());
        flags.put("peer-key-file", member.dir().resolve("peer.key").toString());
        flags.put("peer-trusted-ca-file", caFile.toString());
        flags.put("peer-client-cert-auth", "true");
        flags.putAll(NODE_FLAGS);
        flags.put("initial-cluster", initialCluster);
        flags.put("initial-cluster-state", state);
        if (state.equals("new")) {
            flags.put("initial-cluster-token", "kiln-bench-" + dir.getFileName());
        }
        List<String> command = new ArrayList<>(List.of(ETCD.toString()));
        flags.forEach((flag, value) -> command.add("--" + flag + "=" + value));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(member.dir().resolve("etcd.log").toFile()))
                    .start();
            return new Member(member.name(), member.address(), member.dir(), process);
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + ETCD, e);
        }
    }

    private static String initialCluster(List<Member> members) {
        return members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    }

    private void awaitHealthy(List<Member> expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Map<String, String> last = new LinkedHashMap<>();
        List<Member> waiting = new ArrayList<>(expected);
        while (System.nanoTime() < deadline) {
            waiting.removeIf(member -> {
                String answer = health(member);
                last.put(member.name(), answer);
                return answer.equals("healthy");
            });
            if (waiting.isEmpty()) {
                return;
            }
            for (Member member : waiting) {
                if (member.process() != null && !member.process().isAlive()) {
                    throw new IllegalStateException("etcd " + member.name() + " exited with "
                            + member.process().exitValue() + "; see " + member.dir().resolve("etcd.log"));
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("etcd not healthy within " + within + ": " + last + "; logs under " + dir);
    }

    /** "healthy", or what the member answered instead. */
    private String health(Member member) {
        try {
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create(member.clientUrl()
                    + "/health")).timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            boolean healthy = response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
            return healthy ? "healthy" : response.statusCode() + " " + response.body().strip();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Member name to hex ID, as {@code etcdctl member list} prints them. */
    private Map<String, String> memberIds(List<Member> endpoints) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String line : etcdctl(endpoints, "member", "list").lines().toList()) {
            String[] fields = line.split(",\\s*");
            if (fields.length >= 3) {
                ids.put(fields[2], fields[0]);
            }
        }
        return ids;
    }

    private String etcdctl(List<Member> endpoints, String... command) {
        List<String> line = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints",
                endpoints.stream().map(Member::clientUrl).collect(Collectors.joining(",")),
                "--cacert", caFile.toString(), "--cert", clientCert.toString(), "--key", clientKey.toString(),
                "--command-timeout", "5s"));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("etcdctl " + String.join(" ", command) + " did not finish within "
                        + COMMAND_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("etcdctl " + String.join(" ", command) + " exited with "
                        + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running etcdctl", e);
        }
    }

    private static SSLContext sslContext(CertificateAuthority ca, IssuedCertificate client) {
        try {
            char[] password = "bench".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.key(), password,
                    new Certificate[] {client.certificate(), ca.certificate()});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("etcd-ca", ca.certificate());
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(
                    TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("building the etcd client's TLS context", e);
        }
    }

    /** Stops every etcd started here, also when this JVM ends first. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    /** SIGTERM to every etcd, then SIGKILL to any still running after 5 s. */
    private void stopAll() {
        for (Member member : members) {
            member.process().destroy();
        }
        for (Member member : members) {
            try {
                if (!member.process().waitFor(5, TimeUnit.SECONDS)) {
                    member.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
