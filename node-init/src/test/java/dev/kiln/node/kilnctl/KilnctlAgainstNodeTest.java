package dev.kiln.node.kilnctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.LocalS3;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.KilnctlRun;
import dev.kiln.node.testing.NodeProcess;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** kilnctl driving a real node-init over the machine API, configured and bootstrapped by kilnctl alone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KilnctlAgainstNodeTest {

    private static final String NODE = "127.0.40.1";
    private static final String S3_HOST = "127.0.81.2";

    private Path dir;
    private NodeProcess node;

    private KilnctlRun kilnctl(String... args) {
        Optional<Path> kilnconfig = args[0].equals("gen") ? Optional.empty() : Optional.of(dir.resolve("kilnconfig"));
        return KilnctlRun.of(kilnconfig, args);
    }

    /** etcdctl checks the hash etcd appends to a snapshot, so this fails on anything but a whole, valid one. */
    private static String etcdctlSnapshotStatus(Path snapshot) throws Exception {
        ProcessBuilder status = new ProcessBuilder("/usr/bin/etcdctl", "snapshot", "status", snapshot.toString(),
                "--write-out=json").redirectErrorStream(true);
        status.environment().put("ETCDCTL_API", "3");
        Process process = status.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    @BeforeAll
    void startNode(@TempDir Path work) throws Exception {
        dir = work;
        KilnctlRun gen = kilnctl("gen", "config", "cli", "https://" + NODE + ":6443", "--output", dir.toString(),
                "--etcd-peers", "https://" + NODE + ":2379");
        assertEquals(0, gen.exit(), gen.err());
        node = NodeProcess.start(dir.resolve("node"), NODE, "cli-1");
    }

    @AfterAll
    void stopNode() throws Exception {
        node.close();
    }

    @Test
    @Order(1)
    void applyConfigInsecureWithThePinnedFingerprintConfiguresTheNode() throws Exception {
        String fingerprint = node.awaitFingerprint(Duration.ofSeconds(30));
        KilnctlRun apply = kilnctl("apply-config", "--insecure", "--nodes", NODE, "--cert-fingerprint", fingerprint,
                "-f", dir.resolve("controlplane.yaml").toString());
        assertEquals(0, apply.exit(), apply.err());
        Await.condition("node configured", Duration.ofSeconds(60),
                () -> kilnctl("version", "-n", NODE).out().contains("slot"));
    }

    @Test
    @Order(2)
    void applyConfigInsecureWithAWrongFingerprintIsRefused() {
        KilnctlRun apply = kilnctl("apply-config", "--insecure", "--nodes", NODE, "--cert-fingerprint", "ab".repeat(32),
                "-f", dir.resolve("controlplane.yaml").toString());
        assertEquals(1, apply.exit());
        assertTrue(apply.err().startsWith("error: node " + NODE + ":50000: UNAVAILABLE"), apply.err());
    }

    @Test
    @Order(3)
    void bootstrapThenMembersShowsTheNode() {
        KilnctlRun bootstrap = kilnctl("bootstrap", "-n", NODE);
        assertEquals(0, bootstrap.exit(), bootstrap.err());
        KilnctlRun members = kilnctl("etcd", "members", "-n", NODE);
        assertEquals(0, members.exit(), members.err());
        assertTrue(members.out().contains("cli-1"), members.out());
    }

    @Test
    @Order(4)
    void aSecondBootstrapPrintsTheNodeAndStatusOnOneLine() {
        KilnctlRun again = kilnctl("bootstrap", "-n", NODE);
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith("error: node " + NODE + ":50000: ALREADY_EXISTS: "), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
    }

    @Test
    @Order(5)
    void servicesLogsAndStatusDescribeTheRunningEtcd() {
        KilnctlRun services = kilnctl("services", "-n", NODE);
        assertTrue(services.out().contains("etcd") && services.out().contains("Running"), services.out());
        KilnctlRun logs = kilnctl("logs", "etcd", "-n", NODE);
        assertTrue(logs.out().contains("etcd bootstrapped"), logs.out());
        KilnctlRun status = kilnctl("etcd", "status", "-n", NODE, "-o", "json");
        assertTrue(status.out().contains("\"memberStatus\": {"), status.out());
        assertTrue(!status.out().contains("\"isLearner\": true"), status.out());
    }

    @Test
    @Order(6)
    void snapshotWritesTheEtcdDatabaseToAFile() throws Exception {
        Path snapshot = dir.resolve("etcd.snapshot");
        KilnctlRun run = kilnctl("etcd", "snapshot", snapshot.toString(), "-n", NODE);
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.size(snapshot) > 0);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
    }

    @Test
    @Order(6)
    void snapshotNeverWritesThroughASymlinkPlantedNextToItsFile() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep");
        Path snapshot = dir.resolve("planted.snapshot");
        Files.createSymbolicLink(dir.resolve("planted.snapshot.part"), victim);
        Files.createSymbolicLink(dir.resolve("planted.snapshot.tmp"), victim);

        KilnctlRun run = kilnctl("etcd", "snapshot", snapshot.toString(), "-n", NODE);

        assertEquals(0, run.exit(), run.err());
        assertArrayEquals("keep".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(victim));
        assertTrue(Files.isRegularFile(snapshot, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(snapshot, LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    @Order(6)
    void snapshotToAnS3UrlStoresTheObjectWithTheOperatorsManifestUsingAnAwsProfile() throws Exception {
        Path aws = Files.createDirectories(dir.resolve("aws"));
        Files.writeString(aws.resolve("credentials"), "[backups]\naws_access_key_id = " + LocalS3.ACCESS_KEY
                + "\naws_secret_access_key = " + LocalS3.SECRET_KEY + "\n");
        Files.writeString(aws.resolve("config"), "[profile backups]\nregion = eu-central-1\n");
        Map<String, String> awsSettings = Map.of("aws.sharedCredentialsFile", aws.resolve("credentials").toString(),
                "aws.configFile", aws.resolve("config").toString(), "aws.profile", "backups");
        // A fresh etcd's revision 1 holds no key, and etcdctl shows 0 for it; with keys, both show the same revision.
        try (EtcdKeys keys = EtcdKeys.connect(SecretsBundle.fromYaml(Files.readString(dir.resolve("secrets.yaml")))
                .etcd(), "https://" + NODE + ":2379")) {
            keys.put("revision-witness", "1");
            keys.put("revision-witness", "2");
        }
        KilnctlRun run;
        try (LocalS3 s3 = LocalS3.start(dir.resolve("s3"), S3_HOST, "etcd-backups")) {
            awsSettings.forEach(System::setProperty);
            try {
                run = kilnctl("etcd", "snapshot", "s3://etcd-backups/manual/cli-1.db", "-n", NODE,
                        "--endpoint-url", s3.endpoint().toString(), "--s3-path-style");
            } finally {
                awsSettings.keySet().forEach(System::clearProperty);
            }
            assertEquals(0, run.exit(), run.err());

            Path snapshot = dir.resolve("from-s3.db");
            BackupManifest manifest;
            try (S3BackupStore store = S3BackupStore.open(s3.destination("etcd-backups", ""), LocalS3.credentials())) {
                assertEquals(List.of("manual/cli-1.db", "manual/cli-1.db.json"), store.keys("manual/"));
                manifest = store.manifest("manual/cli-1.db").orElseThrow();
                try (InputStream in = store.read("manual/cli-1.db")) {
                    Files.copy(in, snapshot);
                }
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            assertEquals(HexFormat.of().formatHex(sha256.digest(Files.readAllBytes(snapshot))), manifest.sha256());
            assertEquals(Files.size(snapshot), manifest.size());
            KilnctlRun status = kilnctl("etcd", "status", "-n", NODE);
            String clusterId = String.format("%016x", Long.parseUnsignedLong(manifest.etcdClusterId(), 16));
            assertEquals(clusterId, status.out().lines().toList().get(1).split("\\s+")[2], status.out());
            String snapshotStatus = etcdctlSnapshotStatus(snapshot);
            Matcher revision = Pattern.compile("\"revision\":(\\d+)").matcher(snapshotStatus);
            assertTrue(revision.find(), snapshotStatus);
            assertEquals(OptionalLong.of(Long.parseLong(revision.group(1))), manifest.etcdRevision());
            assertTrue(run.out().contains("manual/cli-1.db.json"), run.out());
        }
    }

    @Test
    @Order(7)
    void eventsShowServiceStatesAndMachineStages() {
        KilnctlRun events = kilnctl("events", "-n", NODE, "--duration", "2");
        assertTrue(events.out().contains("service etcd RUNNING"), events.out());
        assertTrue(events.out().contains("machine RUNNING"), events.out());
    }
}
