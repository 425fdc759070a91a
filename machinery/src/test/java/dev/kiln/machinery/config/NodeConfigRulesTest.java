package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
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
    void anEd25519MachineCaKeyIsAProblemThatSaysSo() {
        List<String> problems = rendered(NodeConfigRules.problems(workerWith(
                new PemPair(TestPem.certBase64(), TestPem.base64(TestPem.ED25519_KEY_PEM)))));

        assertEquals(List.of("machine.ca: is not a usable CA: its key is Ed25519 (as Talos generates it); a Kiln node"
                + " signs with ECDSA P-256 CA keys only"), problems);
    }
}
