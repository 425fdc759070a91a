package dev.kiln.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.pki.CaKeyType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.pki.SecretsBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenAndValidateTest {

    @TempDir
    Path dir;

    private final KilnctlRun kilnctl = new KilnctlRun();

    private Path generate() {
        assertEquals(0, kilnctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--output", dir.toString()),
                kilnctl.err());
        return dir;
    }

    @Test
    void genConfigWritesSecretsBothRolesAndAKilnconfig() throws Exception {
        generate();
        for (String name : new String[] {"secrets.yaml", "controlplane.yaml", "worker.yaml", "kilnconfig"}) {
            assertTrue(Files.size(dir.resolve(name)) > 0, name);
        }
        KilnConfig client = KilnConfig.load(dir.resolve("kilnconfig"));
        assertEquals("admin@demo", client.currentContext());
        assertEquals(java.util.List.of("10.5.0.2"), client.current().endpoints());
    }

    @Test
    void generatedConfigsValidateCleanly() {
        generate();
        assertEquals(0, kilnctl.run("validate", dir.resolve("controlplane.yaml").toString()), kilnctl.err());
        assertEquals(0, kilnctl.run("validate", dir.resolve("worker.yaml").toString()), kilnctl.err());
    }

    @Test
    void genConfigRefusesToOverwriteWithoutForce() {
        generate();
        assertEquals(1, kilnctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--output", dir.toString()));
        assertTrue(kilnctl.err().contains("already exists"), kilnctl.err());
    }

    @Test
    void genConfigWithSecretsReusesTheBundle() throws Exception {
        generate();
        Path second = dir.resolve("again");
        assertEquals(0, kilnctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--output", second.toString(),
                "--with-secrets", dir.resolve("secrets.yaml").toString()), kilnctl.err());
        String first = Files.readString(dir.resolve("controlplane.yaml"));
        assertEquals(first, Files.readString(second.resolve("controlplane.yaml")));
    }

    @Test
    void genConfigWithATalosStyleEd25519OsCaSignsTheAdminCertificateWithIt() throws Exception {
        SecretsBundle kilnBundle = SecretsBundle.generate();
        CertificateAuthority talosOs = CertificateAuthority.generate("talos", Duration.ofDays(365), CaKeyType.ED25519);
        SecretsBundle bundle = new SecretsBundle(kilnBundle.clusterId(), kilnBundle.clusterSecret(),
                kilnBundle.bootstrapToken(), kilnBundle.machineToken(), kilnBundle.secretboxEncryptionSecret(),
                talosOs, kilnBundle.etcd(), kilnBundle.k8s(), kilnBundle.k8sAggregator(), kilnBundle.serviceAccount());
        String talosKeyPem = talosOs.keyPem().replace("PRIVATE KEY", "ED25519 PRIVATE KEY");
        Path secrets = dir.resolve("talos-secrets.yaml");
        String yaml = bundle.toYaml();
        assertTrue(yaml.contains(base64(talosOs.keyPem())), "test setup: the os key is written on one line");
        Files.writeString(secrets, yaml.replace(base64(talosOs.keyPem()), base64(talosKeyPem)));

        assertEquals(0, kilnctl.run("gen", "config", "demo", "https://10.5.0.2:6443", "--output", dir.toString(),
                "--with-secrets", secrets.toString()), kilnctl.err());

        assertEquals(0, kilnctl.run("validate", dir.resolve("controlplane.yaml").toString()), kilnctl.err());
        X509Certificate admin = Pem.decodeCertificate(KilnConfig.load(dir.resolve("kilnconfig")).current().crt());
        assertEquals("Ed25519", admin.getSigAlgName());
        admin.verify(talosOs.certificate().getPublicKey());
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private Path broken(String from, String to) throws Exception {
        generate();
        Path file = dir.resolve("broken.yaml");
        String original = Files.readString(dir.resolve("controlplane.yaml"));
        String changed = original.replaceFirst(from, to);
        assertTrue(!changed.equals(original), "test setup: pattern " + from + " not found");
        Files.writeString(file, changed);
        return file;
    }

    @Test
    void badTypeIsReportedByPathWithExitCodeOne() throws Exception {
        Path file = broken("type: controlplane", "type: controlplain");
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertTrue(kilnctl.err().contains("machine.type: must be controlplane or worker"), kilnctl.err());
    }

    @Test
    void missingEndpointIsReportedByPath() throws Exception {
        Path file = broken("\n    endpoint: https://10.5.0.2:6443", "\n    {}");
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertTrue(kilnctl.err().contains("cluster.controlPlane.endpoint: is required"), kilnctl.err());
    }

    @Test
    void malformedCaIsReportedByPath() throws Exception {
        Path file = broken("(?m)^(  ca:\\n    crt: )\\S+", "$1bm90IGEgY2VydGlmaWNhdGU=");
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertTrue(kilnctl.err().contains("machine.ca.crt:"), kilnctl.err());
    }

    @Test
    void unknownKeyIsReportedByPath() throws Exception {
        Path file = broken("  install:", "  kubelets:\n    image: x\n  install:");
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertTrue(kilnctl.err().contains("error: machine.kubelets: unknown key"), kilnctl.err());
    }

    @Test
    void aTalosKeyKilnDoesNotUseIsAWarningByPathWithExitCodeZero() throws Exception {
        Path file = broken("  install:", "  kubelet:\n    image: x\n  install:");
        assertEquals(0, kilnctl.run("validate", file.toString()), kilnctl.err());
        assertTrue(kilnctl.err().contains("warning: machine.kubelet.image: Talos key, not used by Kiln"), kilnctl.err());
    }

    @Test
    void strictTurnsWarningsIntoExitCodeOne() throws Exception {
        Path file = broken("  install:", "  kubelet:\n    image: x\n  install:");
        assertEquals(1, kilnctl.run("validate", "--strict", file.toString()));
        assertTrue(kilnctl.err().contains("machine.kubelet.image: Talos key, not used by Kiln"), kilnctl.err());
    }

    @Test
    void aTypedTalosDocumentIsAWarningWithExitCodeZero() throws Exception {
        generate();
        Path file = dir.resolve("with-hostname.yaml");
        Files.writeString(file, Files.readString(dir.resolve("worker.yaml"))
                + "---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n");
        assertEquals(0, kilnctl.run("validate", file.toString()), kilnctl.err());
        assertTrue(kilnctl.err().contains("warning: HostnameConfig (document 2): Talos document, not used by Kiln"),
                kilnctl.err());
    }

    @Test
    void everyProblemIsPrintedNotJustTheFirst() throws Exception {
        Path file = broken("type: controlplane", "type: gpu\n  colour: blue");
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertTrue(kilnctl.err().contains("machine.type:"), kilnctl.err());
        assertTrue(kilnctl.err().contains("machine.colour: unknown key"), kilnctl.err());
    }
}
