package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.config.ConfigApplier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node refuses at ApplyConfiguration what would fail at boot or weaken it, with the shared validator; and what it
 * accepts, its certificate can be issued from.
 */
class NodeConfigValidationTest {

    private static final SecretsBundle SECRETS = SecretsBundle.generate();

    private static String config(List<String> sans, String hostname) {
        return new ConfigWriter().write(ConfigGenerator.generate(SECRETS, MachineType.WORKER,
                ConfigGenerator.Options.of("test", "https://10.0.0.1:6443").withCertSans(sans).withHostname(hostname)));
    }

    @Test
    void everySanTheNodeAcceptsEndsUpInItsCertificate() throws Exception {
        String longHostname = "a".repeat(62) + ".b";
        MachineConfig config = ConfigApplier.parse(config(
                List.of("10.0.0.7", "2001:db8::10", "cp.example.com", "*.example.com", "CP.Example.COM", "k8s",
                        "010.0.0.1", "::ffff:10.0.0.1", "0.0.0.0", "::"),
                longHostname));
        CertificateAuthority ca = CertificateAuthority.fromPem(config.machine().ca().decodedCrt(),
                config.machine().ca().decodedKey());
        ApiTls.Configured tls = assertDoesNotThrow(() -> ApiTls.issuedBy(ca, longHostname, "127.0.75.1",
                config.machine().certSANs()));
        assertTrue(tls.serverCertificatePem().contains("BEGIN CERTIFICATE"));
    }

    @Test
    void hostnameTooLongForTheCertificateIsRefusedByApplyConfiguration() {
        NodeRefusal refusal = assertThrows(NodeRefusal.class,
                () -> ConfigApplier.parse(config(List.of(), "a".repeat(63) + ".b")));
        assertTrue(refusal.getMessage().contains("machine.network.hostname: must be an RFC 1123 hostname of at most 64"),
                refusal.getMessage());
    }

    @Test
    void sanThatCouldNotBeIssuedIsRefusedByApplyConfiguration() {
        NodeRefusal refusal = assertThrows(NodeRefusal.class,
                () -> ConfigApplier.parse(config(List.of("1.2.3.4.5"), "node-1")));
        assertTrue(refusal.getMessage().contains("machine.certSANs[0]: must be an IP address or an RFC 1123 DNS name"),
                refusal.getMessage());
    }

    @Test
    void recursiveAliasIsRefusedAsInvalidConfig() {
        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse("a: &a {b: *a}\n"));
        assertEquals("invalid machine config: a.b: recursive alias: the value contains itself", refusal.getMessage());
    }

    @Test
    void etcdFlagThatWouldOpenEtcdIsRefusedByApplyConfiguration() {
        MachineConfig generated = ConfigGenerator.generate(SECRETS, MachineType.CONTROLPLANE,
                ConfigGenerator.Options.of("test", "https://10.0.0.1:6443"));
        String yaml = new ConfigWriter().write(generated).replace("  etcd:\n",
                "  etcd:\n    extraArgs:\n      client-cert-auth: 'false'\n");
        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml));
        assertTrue(refusal.getMessage().contains("cluster.etcd.extraArgs.client-cert-auth: may not be set"),
                refusal.getMessage());
    }

    @Test
    void configOverOneMebibyteIsRefusedByApplyConfigurationBeforeParsing() {
        String yaml = config(List.of(), "node-1") + "# " + "x".repeat(1024 * 1024) + "\n";
        NodeRefusal refusal = assertThrows(NodeRefusal.class, () -> ConfigApplier.parse(yaml));
        assertEquals("invalid machine config: (yaml): document is larger than 1048576 bytes (1 MiB), the limit for a "
                + "config", refusal.getMessage());
    }
}
