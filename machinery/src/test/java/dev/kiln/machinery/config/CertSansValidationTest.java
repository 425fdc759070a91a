package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.parseProblems;
import static dev.kiln.machinery.config.TestConfigs.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertSansValidationTest {

    private static String withSan(String san) {
        return TestConfigs.controlPlaneYaml().replace("    - cp.example.com\n", "    - '" + san + "'\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4.5", "256.1.1.1", "10.0.0", "123", "1.2.3.4/24", "fe80::1%eth0", "[::1]",
            "cp_1.example.com", "-cp.example.com", "cp..example.com", "cp.example.com.", "a b", "cp.example.com:6443",
            "*", "*.com", "a.*.example.com", "https://cp.example.com", "ünïcode.example.com"})
    void refusesSanThatIsNeitherIpNorDnsName(String san) {
        assertEquals(List.of("machine.certSANs[1]: " + NetworkNames.SAN_MESSAGE),
                rendered(parseProblems(withSan(san))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.7", "::1", "2001:db8::10", "cp.example.com", "CP.Example.COM", "localhost",
            "node-1", "1.example.com", "*.example.com", "k8s.io.example"})
    void acceptsIpLiteralsAndDnsNames(String san) {
        TestConfigs.parseValid(withSan(san));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://1.2.3.4.5:6443", "https://cp_1.example.com:6443", "https://[fe80::1%25eth0]:6443"})
    void refusesEndpointWhoseHostCannotBeAName(String endpoint) {
        String yaml = TestConfigs.workerYaml().replace("https://10.0.0.1:6443", endpoint);
        List<String> problems = rendered(parseProblems(yaml));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("cluster.controlPlane.endpoint", problems.get(0).substring(0, problems.get(0).indexOf(':')));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://[2001:db8::1]:6443", "https://cp.example.com:6443", "https://10.0.0.1"})
    void acceptsEndpointWithIpOrDnsHost(String endpoint) {
        TestConfigs.parseValid(TestConfigs.workerYaml().replace("https://10.0.0.1:6443", endpoint));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://10.0.0.2.9:2379", "https://peer_2:2379"})
    void refusesEtcdPeerWhoseHostCannotBeAName(String peer) {
        String yaml = TestConfigs.controlPlaneYaml().replace("https://10.0.0.2:2379", peer);
        List<String> problems = rendered(parseProblems(yaml));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("cluster.etcd.peers[0]", problems.get(0).substring(0, problems.get(0).indexOf(": ")));
    }

    @org.junit.jupiter.api.Test
    void refusesHostnameLongerThanTheCertificateCommonNameAllows() {
        String yaml = TestConfigs.controlPlaneYaml().replace("hostname: cp-1", "hostname: " + "a".repeat(62) + ".bc");
        assertEquals(List.of("machine.network.hostname: must be an RFC 1123 hostname of at most 64 characters"
                + " (dot-separated labels of lowercase letters, digits and '-')"), rendered(parseProblems(yaml)));
        TestConfigs.parseValid(TestConfigs.controlPlaneYaml().replace("hostname: cp-1", "hostname: " + "a".repeat(62) + ".b"));
    }
}
