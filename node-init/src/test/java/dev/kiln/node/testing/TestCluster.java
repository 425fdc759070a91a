package dev.kiln.node.testing;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.InstallSection;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.machinery.pki.Pem;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A cluster's secrets and a set of node-init processes on 127.x addresses of one subnet, so test classes that run
 * one after another never share an address. Test support only.
 */
public final class TestCluster implements AutoCloseable {

    private final SecretsBundle secrets;
    private final String subnet;
    private final Path workDir;
    private final List<NodeProcess> nodes = new ArrayList<>();

    /** {@code subnet} like "127.0.21": node i listens on 127.0.21.i. */
    public TestCluster(String subnet, Path workDir) {
        this(subnet, workDir, SecretsBundle.generate());
    }

    /** A cluster born with the given secrets, such as a machine CA of another key type. */
    public TestCluster(String subnet, Path workDir, SecretsBundle secrets) {
        this.subnet = subnet;
        this.workDir = workDir;
        this.secrets = secrets;
    }

    public SecretsBundle secrets() {
        return secrets;
    }

    public String address(int index) {
        return subnet + "." + index;
    }

    public List<String> etcdPeers(int count) {
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            peers.add("https://" + address(i) + ":2379");
        }
        return peers;
    }

    public NodeProcess startNode(int index) throws Exception {
        return startNode(index, NodeProcess.Options.none());
    }

    public NodeProcess startNode(int index, NodeProcess.Options options) throws Exception {
        NodeProcess node = NodeProcess.start(workDir.resolve("node-" + index), address(index), "node-" + index,
                options);
        nodes.add(node);
        return node;
    }

    /** Node {@code index} in network namespace {@code netns}, on the address of that namespace's link. */
    public NodeProcess startNodeInNetns(int index, String netns) throws Exception {
        NodeProcess node = NodeProcess.startInNetns(workDir.resolve("node-" + index), address(index),
                "node-" + index, netns);
        nodes.add(node);
        return node;
    }

    public void track(NodeProcess node) {
        nodes.add(node);
    }

    public String config(MachineType type, List<String> peers) {
        ConfigGenerator.Options options = ConfigGenerator.Options.of("test", "https://" + address(1) + ":6443")
                .withEtcdPeers(peers)
                .withInstall(new InstallSection("/dev/sda", "kiln/installer:test", false));
        return new ConfigWriter().write(ConfigGenerator.generate(secrets, type, options));
    }

    /** Applies a config to a node in maintenance mode, pinning its certificate, and waits until it serves mTLS. */
    public void configure(NodeProcess node, String config) throws Exception {
        String fingerprint = node.awaitFingerprint(Duration.ofSeconds(30));
        int bootsBefore = node.boots();
        try (MachineClient maintenance = MachineClient.connect(nodeAddress(node),
                ClientCredentials.Maintenance.pinned(fingerprint))) {
            maintenance.applyConfiguration(config.getBytes(StandardCharsets.UTF_8),
                    ApplyConfigurationRequest.Mode.AUTO, false, null);
        }
        awaitConfiguredMode(node, bootsBefore);
    }

    /** Waits until the node has booted again after {@code bootsBefore} boots and serves mTLS in configured mode. */
    public void awaitConfiguredMode(NodeProcess node, int bootsBefore) throws Exception {
        Await.condition(node.hostname() + " rebooted into configured mode", Duration.ofSeconds(60), () -> {
            if (node.boots() <= bootsBefore) {
                return false;
            }
            try (MachineClient client = admin(node)) {
                return !client.version().getPlatform().getMode().equals("maintenance");
            }
        });
    }

    /** Configures several nodes at once; each waits for its own reboot into configured mode. */
    public void configureAll(Map<NodeProcess, String> configs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(configs.size());
        try {
            List<Future<Void>> done = new ArrayList<>();
            configs.forEach((node, config) -> done.add(pool.submit(() -> {
                configure(node, config);
                return null;
            })));
            for (Future<Void> future : done) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Starts control-plane nodes 1..count that list each other as etcd peers, bootstraps node 1, waits for all. */
    public List<NodeProcess> formControlPlane(int count) throws Exception {
        List<NodeProcess> started = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            started.add(startNode(i));
        }
        String config = config(MachineType.CONTROLPLANE, etcdPeers(count));
        Map<NodeProcess, String> configs = new LinkedHashMap<>();
        started.forEach(node -> configs.put(node, config));
        configureAll(configs);
        bootstrap(started.get(0));
        awaitVotingMembers(started.get(0), count);
        return started;
    }

    /**
     * Bootstraps etcd on {@code node}, asking again while the node, just up in configured mode, has not prepared etcd
     * yet (the refusal the operator also waits out).
     */
    public void bootstrap(NodeProcess node) throws Exception {
        Await.condition(node.hostname() + " accepts Bootstrap", Duration.ofSeconds(60), () -> {
            try (MachineClient client = admin(node)) {
                client.bootstrap(false, false);
                return true;
            } catch (dev.kiln.machinery.client.MachineApiException e) {
                if (e.code() == io.grpc.Status.Code.FAILED_PRECONDITION
                        && String.valueOf(e.status().getDescription()).contains("not prepared yet")) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The member list, as {@code via} sees it, once it has exactly {@code count} members and none is a learner. */
    public List<EtcdMember> awaitVotingMembers(NodeProcess via, int count) throws Exception {
        return Await.until(count + " voting members seen from " + via.hostname(), Duration.ofSeconds(90), () -> {
            try (MachineClient client = admin(via)) {
                List<EtcdMember> members = client.etcdMemberList(false).getMembersList();
                boolean settled = members.size() == count && members.stream().noneMatch(EtcdMember::getIsLearner);
                return settled ? Optional.of(members) : Optional.empty();
            }
        });
    }

    /** The node's Version once {@code done} holds for it, asking again while it reboots. */
    public dev.kiln.machinery.api.machine.VersionInfo awaitVersion(NodeProcess node, String what,
            java.util.function.Predicate<dev.kiln.machinery.api.machine.VersionInfo> done) throws Exception {
        return Await.until(node.hostname() + " " + what, Duration.ofSeconds(90), () -> {
            try (MachineClient client = admin(node)) {
                var version = client.version().getVersion();
                return done.test(version) ? Optional.of(version) : Optional.empty();
            }
        });
    }

    /** A plain etcd client on one node's member, authenticated by this cluster's etcd CA. */
    public EtcdKeys etcdKeys(NodeProcess node) throws java.io.IOException {
        return EtcdKeys.connect(secrets.etcd(), node.etcdClientUrl());
    }

    public static NodeAddress nodeAddress(NodeProcess node) {
        return new NodeAddress(node.address(), node.port());
    }

    public MachineClient admin(NodeProcess node) {
        return client(node, Set.of(Role.ADMIN));
    }

    public MachineClient client(NodeProcess node, Set<Role> roles) {
        KilnContext ctx = KilnContext.forClient(secrets.os(), "test-" + roles, roles, List.of(node.address()));
        return MachineClient.connect(nodeAddress(node), new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key()),
                Duration.ofSeconds(60), dev.kiln.machinery.client.RetryPolicy.defaults());
    }

    @Override
    public void close() throws Exception {
        for (NodeProcess node : nodes) {
            node.close();
        }
    }

    /** Waits until the node answers Version to an admin client that checks machine.ca. */
    public void awaitAdminVersion(NodeProcess node, Duration within) throws Exception {
        Await.condition(node.hostname() + " answers Version to an admin that checks machine.ca", within, () -> {
            try (MachineClient client = admin(node)) {
                return !client.version().getVersion().getTag().isEmpty();
            } catch (dev.kiln.machinery.client.MachineApiException e) {
                return false;
            }
        });
    }

    /** The certificate the node presents in a TLS handshake that checks it against machine.ca. */
    public X509Certificate servedCertificate(NodeProcess node) throws Exception {
        KilnContext admin = KilnContext.forClient(secrets().os(), "admin", Set.of(Role.ADMIN),
                List.of(node.address()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("admin", Pem.decodePrivateKey(admin.key()), new char[0],
                new Certificate[] {Pem.decodeCertificate(admin.crt())});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("machine-ca", secrets().os().certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLSv1.3");
        tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(node.address(), node.port())) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }
}
