package dev.kiln.node.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.ConfigYaml;
import dev.kiln.node.testing.NodeEvents;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.ServerCertificates;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ApplyConfiguration over the real API: validation, dry runs and every apply mode, against node-init processes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplyConfigurationTest {

    private static final Duration REBOOT_WITHIN = Duration.ofSeconds(90);
    private static final AtomicInteger NEXT_PEER_PORT = new AtomicInteger(23010);

    private TestCluster cluster;
    private NodeProcess controlPlane;
    private NodeProcess worker;
    private NodeProcess maintenance;

    @BeforeAll
    void startNodes(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.32", work);
        // node-1 takes config changes and is never rebooted; node-2 is rebooted; node-3 is never configured.
        controlPlane = cluster.startNode(1);
        worker = cluster.startNode(2);
        maintenance = cluster.startNode(3);
        cluster.configureAll(Map.of(
                controlPlane, cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1)),
                worker, cluster.config(MachineType.WORKER, List.of())));
    }

    @AfterAll
    void stopNodes() throws Exception {
        cluster.close();
    }

    // ---- helpers

    private static Path state(NodeProcess node) {
        return node.root().resolve("STATE");
    }

    private static String storedConfig(NodeProcess node) throws IOException {
        return Files.readString(state(node).resolve("config.yaml"));
    }

    /** Every config document on the node's STATE partition, by file name. */
    private static Map<String, String> configFiles(NodeProcess node) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(state(node))) {
            for (Path file : list.filter(p -> p.getFileName().toString().startsWith("config")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static ApplyConfiguration apply(MachineClient client, String config, Mode mode, boolean dryRun,
            Duration tryTimeout) {
        return client.applyConfiguration(config.getBytes(StandardCharsets.UTF_8), mode, dryRun, tryTimeout);
    }

    private static MachineApiException refusal(MachineClient client, String config, Mode mode) {
        return assertThrows(MachineApiException.class, () -> apply(client, config, mode, false, null));
    }

    /** A peer URL in this class's subnet that no test has used yet, so every edit is a real change. */
    private static String freshPeer() {
        return "https://127.0.32.9:" + NEXT_PEER_PORT.getAndIncrement();
    }

    @SuppressWarnings("unchecked")
    private static String withExtraPeer(String config, String peer) {
        return ConfigYaml.edit(config, tree -> {
            Map<String, Object> etcd = ConfigYaml.at(tree, "cluster", "etcd");
            List<String> peers = new ArrayList<>((List<String>) etcd.getOrDefault("peers", List.of()));
            peers.add(peer);
            etcd.put("peers", peers);
        });
    }

    private static String withCertSan(String config, String san) {
        return ConfigYaml.edit(config, tree -> ConfigYaml.at(tree, "machine").put("certSANs", List.of(san)));
    }

    private void awaitBackConfigured(NodeProcess node, int bootsBefore) throws Exception {
        Await.condition(node.hostname() + " rebooted and configured again", REBOOT_WITHIN, () -> {
            if (node.boots() <= bootsBefore) {
                return false;
            }
            try (MachineClient client = cluster.admin(node)) {
                return client.version().getPlatform().getMode().equals("slot B");
            }
        });
    }

    // ---- invalid documents

    enum BadConfig {
        UNKNOWN_KEY("machine.colour", tree -> ConfigYaml.at(tree, "machine").put("colour", "blue")),
        BAD_TYPE("persist", tree -> tree.put("persist", "sometimes")),
        MALFORMED_CA("machine.ca.crt", tree -> ConfigYaml.at(tree, "machine", "ca")
                .put("crt", Base64.getEncoder().encodeToString("not a certificate".getBytes(StandardCharsets.UTF_8)))),
        MISSING_ENDPOINT("cluster.controlPlane.endpoint",
                tree -> ConfigYaml.at(tree, "cluster", "controlPlane").remove("endpoint")),
        CA_KEY_OF_ANOTHER_CA("machine.ca", tree -> ConfigYaml.at(tree, "machine", "ca").put("key", Base64.getEncoder()
                .encodeToString(CertificateAuthority.generate("other", Duration.ofDays(1)).keyPem()
                        .getBytes(StandardCharsets.UTF_8))));

        final String path;
        final Consumer<Map<String, Object>> edit;

        BadConfig(String path, Consumer<Map<String, Object>> edit) {
            this.path = path;
            this.edit = edit;
        }
    }

    @ParameterizedTest
    @EnumSource(BadConfig.class)
    void aBadConfigIsRejectedAsInvalidArgumentNamingItsPathAndTheStoredConfigStaysByteIdentical(BadConfig bad)
            throws Exception {
        byte[] before = Files.readAllBytes(state(controlPlane).resolve("config.yaml"));
        Map<String, String> filesBefore = configFiles(controlPlane);
        String config = ConfigYaml.edit(storedConfig(controlPlane), bad.edit);

        MachineApiException refused;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            refused = refusal(admin, config, Mode.AUTO);
        }

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.code());
        assertTrue(refused.status().getDescription().contains(bad.path + ":"), refused.status().getDescription());
        assertArrayEquals(before, Files.readAllBytes(state(controlPlane).resolve("config.yaml")));
        assertEquals(filesBefore, configFiles(controlPlane));
    }

    @Test
    void aConfigWithSeveralProblemsIsRefusedWithEveryPathInOneDescription() throws Exception {
        byte[] before = Files.readAllBytes(state(controlPlane).resolve("config.yaml"));
        String config = ConfigYaml.edit(storedConfig(controlPlane), tree -> {
            for (BadConfig bad : List.of(BadConfig.UNKNOWN_KEY, BadConfig.BAD_TYPE, BadConfig.MALFORMED_CA,
                    BadConfig.MISSING_ENDPOINT)) {
                bad.edit.accept(tree);
            }
        });

        MachineApiException refused;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            refused = refusal(admin, config, Mode.AUTO);
        }

        String description = refused.status().getDescription();
        assertEquals(Status.Code.INVALID_ARGUMENT, refused.code());
        assertAll(Stream.of("machine.colour:", "persist:", "machine.ca.crt:", "cluster.controlPlane.endpoint:")
                .map(path -> (Executable) () -> assertTrue(description.contains(path), path + " in " + description)));
        assertArrayEquals(before, Files.readAllBytes(state(controlPlane).resolve("config.yaml")));
    }

    @Test
    void aBadConfigInMaintenanceModeLeavesNoStoredConfigAndTheNodeInMaintenance() throws Exception {
        String config = ConfigYaml.edit(cluster.config(MachineType.WORKER, List.of()), BadConfig.UNKNOWN_KEY.edit);
        maintenance.awaitFingerprint(Duration.ofSeconds(60));

        try (MachineClient client = MachineClient.connect(TestCluster.nodeAddress(maintenance),
                ClientCredentials.Maintenance.unpinned())) {
            MachineApiException refused = refusal(client, config, Mode.AUTO);

            assertEquals(Status.Code.INVALID_ARGUMENT, refused.code());
            assertTrue(refused.status().getDescription().contains("machine.colour:"));
            assertFalse(Files.exists(state(maintenance).resolve("config.yaml")));
            assertEquals(Map.of(), configFiles(maintenance));
            assertEquals("maintenance", client.version().getPlatform().getMode());
            assertEquals(1, maintenance.boots());
        }
    }

    // ---- dry run

    enum DryRunChange {
        HOSTNAME_NEEDS_REBOOT(Mode.REBOOT),
        ETCD_PEERS_LIVE(Mode.NO_REBOOT);

        final Mode reported;

        DryRunChange(Mode reported) {
            this.reported = reported;
        }

        String apply(String config) {
            return this == HOSTNAME_NEEDS_REBOOT
                    ? ConfigYaml.edit(config, tree -> ConfigYaml.at(tree, "machine", "network").put("hostname", "renamed"))
                    : withExtraPeer(config, freshPeer());
        }
    }

    @ParameterizedTest
    @EnumSource(DryRunChange.class)
    void aDryRunReportsTheModeItWouldUseAndChangesNothingOnDisk(DryRunChange change) throws Exception {
        Map<String, String> before = configFiles(controlPlane);
        int boots = controlPlane.boots();

        ApplyConfiguration answer;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            answer = apply(admin, change.apply(storedConfig(controlPlane)), Mode.AUTO, true, null);
            assertEquals("slot B", admin.version().getPlatform().getMode());
        }

        assertEquals(change.reported, answer.getMode());
        assertTrue(answer.getModeDetails().startsWith("dry run: "), answer.getModeDetails());
        assertEquals(before, configFiles(controlPlane));
        assertEquals(boots, controlPlane.boots());
    }

    @Test
    void aConfigWithTalosOnlyKeysAndDocumentsIsAcceptedWithItsWarningsInTheAnswer() throws Exception {
        Map<String, String> before = configFiles(controlPlane);
        String config = ConfigYaml.edit(storedConfig(controlPlane),
                tree -> ConfigYaml.at(tree, "machine").put("kubelet", Map.of("image", "k:1")))
                + "---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n";

        ApplyConfiguration answer;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            answer = apply(admin, config, Mode.AUTO, true, null);
        }

        assertEquals(List.of("machine.kubelet.image: Talos key, not used by Kiln",
                "HostnameConfig (document 2): Talos document, not used by Kiln; kept unchanged"), answer.getWarningsList());
        assertEquals(before, configFiles(controlPlane));
    }

    @Test
    void aChangeOnlyInTalosKeysKilnDoesNotUseIsStoredAsSentWithoutAReboot() throws Exception {
        String original = storedConfig(controlPlane);
        int boots = controlPlane.boots();
        String config = ConfigYaml.edit(original,
                tree -> ConfigYaml.at(tree, "machine").put("kubelet", Map.of("image", "k:2")))
                + "---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable   # as sent\n";

        ApplyConfiguration answer;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            answer = apply(admin, config, Mode.AUTO, false, null);
            assertEquals(Mode.NO_REBOOT, answer.getMode(), answer.getModeDetails());
            assertEquals(config, storedConfig(controlPlane));
            apply(admin, original, Mode.AUTO, false, null);
        }
        assertEquals(original, storedConfig(controlPlane));
        assertEquals(boots, controlPlane.boots());
    }

    // ---- NO_REBOOT

    @Test
    void noRebootAppliesALiveEtcdPeersChangeWithoutARebootAndKeepsThePreviousConfig() throws Exception {
        String before = storedConfig(controlPlane);
        String peer = freshPeer();
        int boots = controlPlane.boots();

        try (MachineClient admin = cluster.admin(controlPlane)) {
            ApplyConfiguration answer = apply(admin, withExtraPeer(before, peer), Mode.NO_REBOOT, false, null);

            assertEquals(Mode.NO_REBOOT, answer.getMode());
            // The event log is in node-init's memory: finding the reload there means the same boot still answers.
            NodeEvents.awaitStageMessage(admin, "config reloaded: [cluster.etcd.peers]", Duration.ofSeconds(10));
        }

        assertEquals(boots, controlPlane.boots());
        assertTrue(storedConfig(controlPlane).contains(peer), "stored config has the new peer");
        assertEquals(before, Files.readString(state(controlPlane).resolve("config.previous.yaml")));
    }

    enum RebootOnlyChange {
        CERT_SANS("machine.certSANs"),
        // The generated config has no network section, so a hostname adds the whole section.
        HOSTNAME("machine.network");

        final String path;

        RebootOnlyChange(String path) {
            this.path = path;
        }

        String apply(String config) {
            return this == CERT_SANS
                    ? withCertSan(config, "api.example.test")
                    : ConfigYaml.edit(config, tree -> ConfigYaml.at(tree, "machine", "network").put("hostname", "renamed"));
        }
    }

    @ParameterizedTest
    @EnumSource(RebootOnlyChange.class)
    void noRebootRefusesAChangeThatNeedsARebootAsFailedPreconditionNamingThePath(RebootOnlyChange change)
            throws Exception {
        Map<String, String> before = configFiles(controlPlane);
        int boots = controlPlane.boots();

        MachineApiException refused;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            refused = refusal(admin, change.apply(storedConfig(controlPlane)), Mode.NO_REBOOT);
        }

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.code());
        assertTrue(refused.status().getDescription().contains(change.path), refused.status().getDescription());
        assertEquals(before, configFiles(controlPlane));
        assertEquals(boots, controlPlane.boots());
    }

    // ---- TRY

    @Test
    void aTrialThatIsNotConfirmedRollsBackAfterItsTimeout() throws Exception {
        Map<String, String> before = configFiles(controlPlane);
        Path trialFile = state(controlPlane).resolve("config.try.yaml");

        try (MachineClient admin = cluster.admin(controlPlane)) {
            ApplyConfiguration answer = apply(admin, withExtraPeer(storedConfig(controlPlane), freshPeer()), Mode.TRY,
                    false, Duration.ofSeconds(3));
            assertEquals(Mode.TRY, answer.getMode());
        }
        assertTrue(Files.exists(trialFile), "trial file written");

        Await.condition("trial rolled back", Duration.ofSeconds(30), () -> !Files.exists(trialFile));
        assertEquals(before, configFiles(controlPlane));
    }

    @Test
    void applyingTheTriedConfigAgainWithAutoConfirmsItBeyondItsTrialDeadline() throws Exception {
        String before = storedConfig(controlPlane);
        String peer = freshPeer();
        String tried = withExtraPeer(before, peer);
        Path trialFile = state(controlPlane).resolve("config.try.yaml");

        Instant rollbackAt;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            assertEquals(Mode.TRY, apply(admin, tried, Mode.TRY, false, Duration.ofSeconds(6)).getMode());
            String trialText = Files.readString(trialFile);
            rollbackAt = Instant.ofEpochMilli(Long.parseLong(trialText.substring(0, trialText.indexOf('\n'))));

            ApplyConfiguration confirmed = apply(admin, tried, Mode.AUTO, false, null);
            assertEquals("no changes", confirmed.getModeDetails());
        }

        assertFalse(Files.exists(trialFile), "trial ended");
        assertTrue(storedConfig(controlPlane).contains(peer), "tried config is now the stored one");
        assertEquals(before, Files.readString(state(controlPlane).resolve("config.previous.yaml")));
        Await.condition("former trial deadline passed", Duration.ofSeconds(30),
                () -> Instant.now().isAfter(rollbackAt.plusSeconds(1)));
        assertTrue(storedConfig(controlPlane).contains(peer), "confirmed config survives its trial deadline");
        assertFalse(Files.exists(trialFile));
    }

    // ---- install and version

    @Test
    void afterTheFirstConfigureVersionReportsTheInstalledVersionAndActiveSlotB() throws Exception {
        Version version;
        try (MachineClient admin = cluster.admin(controlPlane)) {
            version = admin.version();
        }
        Path slotB = controlPlane.root().resolve("BOOT-B");
        String meta = Files.readString(controlPlane.root().resolve("META").resolve("meta.yaml"));

        assertEquals("v0.1.0", version.getVersion().getTag());
        assertEquals("slot B", version.getPlatform().getMode());
        assertTrue(Files.exists(slotB.resolve("node-init.jar")) || Files.exists(slotB.resolve("CLASSES")),
                "BOOT-B holds the image or its class directory marker");
        assertEquals("v0.1.0", Files.readString(slotB.resolve("VERSION")).strip());
        assertTrue(meta.contains("active-slot: B"), meta);
        assertTrue(meta.contains("installed-version-b: v0.1.0"), meta);
    }

    // ---- modes that reboot

    @Test
    void aStagedConfigIsWrittenAsideAndBecomesActiveAfterAReboot() throws Exception {
        String before = storedConfig(worker);
        String staged = withCertSan(before, "staged.example.test");
        int boots = worker.boots();

        try (MachineClient admin = cluster.admin(worker)) {
            assertEquals(Mode.STAGED, apply(admin, staged, Mode.STAGED, false, null).getMode());
        }
        Path stagedFile = state(worker).resolve("config.staged.yaml");
        assertTrue(Files.readString(stagedFile).contains("staged.example.test"), "staged file holds the new config");
        assertEquals(before, storedConfig(worker));
        assertEquals(boots, worker.boots());

        try (MachineClient admin = cluster.admin(worker)) {
            admin.reboot();
        }
        awaitBackConfigured(worker, boots);

        assertTrue(storedConfig(worker).contains("staged.example.test"), "staged config is active");
        assertFalse(Files.exists(stagedFile), "staged file consumed");
        assertEquals(before, Files.readString(state(worker).resolve("config.previous.yaml")));
        assertTrue(ServerCertificates.presentedBy(worker).getSubjectAlternativeNames().stream()
                .anyMatch(san -> san.get(1).equals("staged.example.test")), "API certificate carries the staged SAN");
    }

    @Test
    void rebootModeRebootsTheNodeAndItComesBackConfigured() throws Exception {
        String before = storedConfig(worker);
        int boots = worker.boots();

        try (MachineClient admin = cluster.admin(worker)) {
            assertEquals(Mode.REBOOT, apply(admin, before, Mode.REBOOT, false, null).getMode());
        }
        awaitBackConfigured(worker, boots);

        assertEquals(boots + 1, worker.boots());
        assertEquals(before, storedConfig(worker));
    }

    // ---- worker

    @Test
    void aWorkerAnswersBootstrapWithUnimplemented() {
        try (MachineClient admin = cluster.admin(worker)) {
            MachineApiException refused = assertThrows(MachineApiException.class, () -> admin.bootstrap(false, false));
            assertEquals(Status.Code.UNIMPLEMENTED, refused.code());
        }
    }

    @Test
    void aWorkerAnswersEtcdMemberListWithUnimplemented() {
        try (MachineClient admin = cluster.admin(worker)) {
            MachineApiException refused = assertThrows(MachineApiException.class, () -> admin.etcdMemberList(false));
            assertEquals(Status.Code.UNIMPLEMENTED, refused.code());
        }
    }
}
