package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnServerAddress;
import dev.kiln.capi.crd.CelRuleEvaluator.Verdict;
import dev.kiln.machinery.config.NetworkNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The CRDs' host rules against the Java checks the operator applies anyway (KilnServerAddress, NetworkNames), over
 * the same inputs, so admission and the operator agree on what a host is. Where they differ on purpose, the
 * difference is listed here and in docs/crd-validation.md.
 */
class AddressRulesMatchJavaTest {
    private static final List<String> HOSTS = List.of(
            "192.0.2.1", "0.0.0.0", "255.255.255.255", "192.0.2.256", "192.0.2", "192.0.2.1.5", "010.0.2.1",
            "2001:db8::1", "::", "::1", "::ffff:192.0.2.1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1::2::3",
            "1:2:3:4:5:6:192.0.2.1", "2001:DB8::A", "00001::1", "fe80::1%eth0", "2001:db8::/64",
            "node", "node-1", "Node-1.Example.COM", "n.example.com", "-node", "node-", "no_de", "node.123", "123",
            "123.node", "a..b", "a.", ".a", "*.example.com", "x".repeat(63) + ".com", "x".repeat(64) + ".com",
            ("a".repeat(62) + ".").repeat(4) + "a", ("a".repeat(62) + ".").repeat(4) + "ab");
    private static final List<String> PORTS = List.of("", ":1", ":50000", ":65535", ":65536", ":0", ":080", ":", ":x");
    /** The operator's parser (BouncyCastle's IPAddress) takes a trailing colon as IPv6; RFC 4291 does not. */
    private static final Map<String, Boolean> ADDRESSES_JAVA_ALONE_ACCEPTS = Map.of("[1:]", true, "[1:]:1", true);

    @Test
    void serverAddressRuleAgreesWithKilnServerAddress() {
        Map<String, String> disagreements = new TreeMap<>();
        for (String host : HOSTS) {
            String bracketed = host.contains(":") ? "[" + host + "]" : host;
            for (String port : PORTS) {
                compare(host + port, KilnServer.class, ".spec.address", KilnServerAddress::isValid, disagreements);
                compare(bracketed + port, KilnServer.class, ".spec.address", KilnServerAddress::isValid, disagreements);
            }
        }
        assertEquals(Map.of(), disagreements);
    }

    @Test
    void javaAloneAcceptsATrailingColonInIpv6() {
        ADDRESSES_JAVA_ALONE_ACCEPTS.forEach((address, java) -> {
            assertEquals(java, KilnServerAddress.isValid(address), address);
            assertEquals(new Verdict.Refused("spec.address", rule(KilnServer.class, ".spec.address").message()),
                    verdict(KilnServer.class, ".spec.address", address), address);
        });
    }

    @Test
    void endpointHostRuleAgreesWithNetworkNames() {
        Map<String, String> disagreements = new TreeMap<>();
        for (String host : HOSTS) {
            compare(host, KilnCluster.class, ".spec.controlPlaneEndpoint.host",
                    h -> NetworkNames.isIpLiteral(h) || NetworkNames.isDnsName(h), disagreements);
        }
        assertEquals(Map.of(), disagreements);
    }

    private static void compare(String value, Class<? extends HasMetadata> kind, String path, Predicate<String> java,
            Map<String, String> disagreements) {
        boolean admitted = verdict(kind, path, value) instanceof Verdict.Allowed;
        if (admitted != java.test(value)) {
            disagreements.put(value, "CEL " + (admitted ? "accepts" : "refuses") + ", Java does not");
        }
    }

    private static final Map<String, CelRuleEvaluator> EVALUATORS = new HashMap<>();

    private static Verdict verdict(Class<? extends HasMetadata> kind, String path, String value) {
        return EVALUATORS.computeIfAbsent(kind.getSimpleName() + path, k -> CelRuleEvaluator.compile(rule(kind, path)))
                .evaluate(TextNode.valueOf(value), null);
    }

    private static CelRule rule(Class<? extends HasMetadata> kind, String path) {
        return CrdCelRules.in(CommittedCrds.fileName(kind), CommittedCrds.of(kind)).stream()
                .filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    }
}
