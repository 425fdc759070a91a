package dev.kiln.node.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.config.ClusterSection;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.EtcdSection;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.MachineSection;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.config.PemPair;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.node.NodeRefusal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigRulesTest {

    private static final SecretsBundle SECRETS = SecretsBundle.generate();
    private static final CertificateAuthority OTHER_CA = CertificateAuthority.generate("other", Duration.ofDays(1));

    private static MachineConfig generated(MachineType type) {
        return ConfigGenerator.generate(SECRETS, type, ConfigGenerator.Options.of("test", "https://10.0.0.1:6443"));
    }

    private static MachineConfig withMachineCa(MachineConfig config, PemPair ca) {
        MachineSection m = config.machine();
        return new MachineConfig(config.version(), config.debug(), config.persist(),
                new MachineSection(m.type(), m.token(), ca, m.certSANs(), m.install(), m.network()), config.cluster());
    }

    private static MachineConfig withEtcdCa(MachineConfig config, PemPair ca) {
        ClusterSection c = config.cluster();
        return new MachineConfig(config.version(), config.debug(), config.persist(), config.machine(),
                new ClusterSection(c.id(), c.secret(), c.clusterName(), c.controlPlane(), c.token(), c.ca(),
                        c.aggregatorCA(), c.serviceAccount(),
                        new EtcdSection(ca, c.etcd().extraArgs(), c.etcd().peers())));
    }

    private static String yaml(MachineConfig config) {
        return new ConfigWriter().write(config);
    }

    @Test
    void generatedConfigsOfBothTypesAreAccepted() {
        assertDoesNotThrow(() -> ConfigApplier.parse(yaml(generated(MachineType.CONTROLPLANE))));
        assertDoesNotThrow(() -> ConfigApplier.parse(yaml(generated(MachineType.WORKER))));
    }

    @Test
    void aControlPlaneWhoseMachineCaHasNoKeyIsRefused() {
        MachineConfig config = withMachineCa(generated(MachineType.CONTROLPLANE),
                PemPair.fromPem(SECRETS.os().certificatePem(), null));

        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml(config)));

        assertTrue(refusal.getMessage().contains("machine.ca.key: is required on a control-plane node"),
                refusal.getMessage());
    }

    @Test
    void aWorkerWhoseMachineCaHasNoKeyIsAccepted() {
        MachineConfig config = withMachineCa(generated(MachineType.WORKER),
                PemPair.fromPem(SECRETS.os().certificatePem(), null));

        MachineConfig parsed = assertDoesNotThrow(() -> ConfigApplier.parse(yaml(config)));

        assertTrue(parsed.machine().ca().key() == null || parsed.machine().ca().key().isEmpty());
    }

    @Test
    void aMachineCaWhoseKeyBelongsToAnotherCertificateIsRefused() {
        MachineConfig config = withMachineCa(generated(MachineType.WORKER),
                PemPair.fromPem(SECRETS.os().certificatePem(), OTHER_CA.keyPem()));

        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml(config)));

        assertEquals(NodeRefusal.Reason.INVALID_REQUEST, refusal.reason());
        assertTrue(refusal.getMessage().contains("machine.ca"), refusal.getMessage());
    }

    @Test
    void aMachineCaThatIsNotACaCertificateIsRefused() {
        IssuedCertificate leaf = SECRETS.os().issue(CertificateRequest.server("leaf", List.of("leaf"), List.of(),
                Duration.ofDays(1)));
        MachineConfig config = withMachineCa(generated(MachineType.WORKER),
                PemPair.fromPem(leaf.certificatePem(), leaf.keyPem()));

        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml(config)));

        assertTrue(refusal.getMessage().contains("machine.ca"), refusal.getMessage());
    }

    @Test
    void anEtcdCaWhoseKeyBelongsToAnotherCertificateIsRefusedOnAControlPlane() {
        MachineConfig config = withEtcdCa(generated(MachineType.CONTROLPLANE),
                PemPair.fromPem(SECRETS.etcd().certificatePem(), OTHER_CA.keyPem()));

        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml(config)));

        assertTrue(refusal.getMessage().contains("cluster.etcd.ca"), refusal.getMessage());
    }

    @Test
    void aControlPlaneWithoutEtcdIsRefused() {
        MachineConfig cp = generated(MachineType.CONTROLPLANE);
        ClusterSection c = cp.cluster();
        MachineConfig config = new MachineConfig(cp.version(), cp.debug(), cp.persist(), cp.machine(),
                new ClusterSection(c.id(), c.secret(), c.clusterName(), c.controlPlane(), c.token(), c.ca(),
                        c.aggregatorCA(), c.serviceAccount(), null));

        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml(config)));

        assertTrue(refusal.getMessage().contains("cluster.etcd: is required"), refusal.getMessage());
    }
}
