package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CaKeyType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.Pem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConfigRulesTest {

    private static MachineConfig withMachineCa(MachineConfig config, PemPair ca) {
        MachineSection m = config.machine();
        return new MachineConfig(config.version(), config.debug(), config.persist(),
                new MachineSection(m.type(), m.token(), ca, m.certSANs(), m.install(), m.network()), config.cluster());
    }

    private static MachineConfig workerWith(PemPair ca) {
        MachineConfig worker = withMachineCa(TestConfigs.worker(), ca);
        return worker;
    }

    @Test
    void aControlPlaneWithTheMachineCaKeyHasNoProblem() {
        assertEquals(List.of(), NodeConfigRules.problems(TestConfigs.controlPlane()));
    }

    @Test
    void aControlPlaneWithoutTheMachineCaKeyIsAProblemNamingThePath() {
        MachineConfig config = withMachineCa(TestConfigs.controlPlane(), new PemPair(TestPem.certBase64(), ""));

        assertEquals(List.of("machine.ca.key: is required on a control-plane node: it issues its own machine API"
                + " certificate, and the workers' (certificate service), from this CA"),
                rendered(NodeConfigRules.problems(config)));
    }

    @Test
    void aWorkerWithTheCertificateButNotTheKeyHasNoProblem() {
        assertEquals(List.of(), NodeConfigRules.problems(workerWith(new PemPair(TestPem.certBase64(), ""))));
    }

    @Test
    void aWorkerWithoutAnyMachineCaIsAProblem() {
        assertEquals(List.of("machine.ca: is required: the machine API's certificates chain to it"),
                rendered(NodeConfigRules.problems(TestConfigs.worker())));
    }

    @Test
    void aMachineCaKeyOfAnotherCertificateIsAProblem() {
        String otherKey = java.util.Base64.getEncoder().encodeToString(
                CertificateAuthority.generate("other", Duration.ofDays(1)).keyPem().getBytes());

        List<String> problems = rendered(NodeConfigRules.problems(workerWith(new PemPair(TestPem.certBase64(), otherKey))));

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("machine.ca: is not a usable CA: private key does not match"),
                problems.get(0));
    }

    @Test
    void anEd25519MachineCaAsTalosWritesItHasNoProblemOnAControlPlane() {
        CertificateAuthority talosStyle = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);
        PemPair ca = new PemPair(TestPem.base64(talosStyle.certificatePem()),
                TestPem.base64(TestPem.talosEd25519Pem(talosStyle.key().getEncoded())));

        assertEquals(List.of(), rendered(NodeConfigRules.problems(withMachineCa(TestConfigs.controlPlane(), ca))));
    }

    @Test
    void aMachineCaKeyKilnCannotSignWithIsAProblemNamingItsType() throws Exception {
        String rsaKey = TestPem.base64(Pem.encodePrivateKey(
                java.security.KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate()));

        List<String> problems = rendered(NodeConfigRules.problems(workerWith(new PemPair(TestPem.certBase64(), rsaKey))));

        assertEquals(List.of("machine.ca: is not a usable CA: a CA key must be ECDSA or Ed25519; this one is RSA"),
                problems);
    }
}
