package dev.kiln.machinery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.machinery.config.PatchPolicy.JsonOperation;
import dev.kiln.machinery.config.PatchPolicy.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatchPolicyTest {

    private static Verdict json(JsonOperation... operations) {
        return PatchPolicy.check("spec.configPatches", List.of(operations), "spec.strategicPatches", List.of());
    }

    private static Verdict strategic(String... documents) {
        return PatchPolicy.check("spec.configPatches", List.of(), "spec.strategicPatches", List.of(documents));
    }

    private static List<String> refusals(Verdict verdict) {
        return assertInstanceOf(Verdict.Refused.class, verdict).problems().stream().map(ConfigProblem::toString)
                .toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/machine/ca", "/machine/ca/key", "/machine/ca/crt", "/machine/token", "/cluster/id",
            "/cluster/secret", "/cluster/token", "/cluster/ca", "/cluster/ca/key", "/cluster/aggregatorCA/key",
            "/cluster/serviceAccount", "/cluster/serviceAccount/key", "/cluster/etcd/ca", "/cluster/etcd/ca/key",
            "/cluster/etcd/extraArgs/client-cert-auth", "/cluster/etcd/extraArgs/listen-client-urls",
            "/cluster/etcd/extraArgs/peer-auto-tls", "/machine", "/cluster", "/cluster/etcd", "",
            "/cluster/etcd/extraArgs/peer-auto-tls/x"})
    void refusesEveryOpAtAProtectedPathOrItsAncestor(String path) {
        for (String op : List.of("add", "replace", "remove", "test", "copy", "move")) {
            assertEquals(List.of("spec.configPatches[0].path: " + path + " may not be patched"),
                    refusals(json(new JsonOperation(op, path, op.equals("copy") || op.equals("move")
                            ? "/cluster/clusterName" : null))), op + " " + path);
        }
    }

    @Test
    void refusesCopyOfTheMachineCaKeyIntoCertSansNamingIndexAndFrom() {
        assertEquals(List.of("spec.configPatches[2].from: /machine/ca/key may not be copied or moved"),
                refusals(json(new JsonOperation("add", "/machine/certSANs/-", null),
                        new JsonOperation("replace", "/machine/network/hostname", null),
                        new JsonOperation("copy", "/machine/certSANs/-", "/machine/ca/key"))));
    }

    @ParameterizedTest
    @CsvSource({"copy,/machine", "move,/cluster/secret", "copy,/machine/token", "copy,''", "move,/cluster/etcd"})
    void refusesCopyOrMoveFromAProtectedPathOrItsAncestor(String op, String from) {
        assertEquals(List.of("spec.configPatches[0].from: " + from + " may not be copied or moved"),
                refusals(json(new JsonOperation(op, "/machine/network/hostname", from))));
    }

    @Test
    void refusesASecretFromWhateverTheOpSaysItIs() {
        assertEquals(List.of("spec.configPatches[0].from: /machine/ca/key may not be copied or moved"),
                refusals(json(new JsonOperation("Copy", "/machine/certSANs/-", "/machine/ca/key"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/machine/certSANs", "/machine/certSANs/-", "/machine/network/hostname",
            "/machine/install/disk", "/cluster/etcd/extraArgs/election-timeout", "/cluster/etcd/extraArgs",
            "/cluster/etcd/peers", "/cluster/controlPlane/endpoint", "/machine/cas", "/cluster/secretive", "/debug"})
    void allowsOrdinaryPaths(String path) {
        assertInstanceOf(Verdict.Allowed.class, json(new JsonOperation("replace", path, null),
                new JsonOperation("copy", path, "/cluster/clusterName")));
    }

    @Test
    void readsEscapedPointerTokensBeforeJudging() {
        assertEquals(List.of("spec.configPatches[0].path: /cluster/etcd/extraArgs/peer-x~1y may not be patched"),
                refusals(json(new JsonOperation("add", "/cluster/etcd/extraArgs/peer-x~1y", null))));
        assertInstanceOf(Verdict.Allowed.class, json(new JsonOperation("add", "/machine/c~0a", null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"machine: {ca: {key: abc}}", "machine: {token: abcdef.0123456789abcdef}",
            "cluster: {secret: x}", "cluster: {etcd: {ca: {$patch: delete}}}", "cluster: {etcd: null}",
            "machine: null", "cluster: {serviceAccount: {key: x}}", "cluster: {etcd: {extraArgs: {client-cert-auth: 'false'}}}",
            "cluster: {aggregatorCA: {$patch: delete}}", "cluster: {id: x}", "cluster: {token: x}", "cluster: {ca: []}",
            "machine: {$patch: delete}"})
    void refusesStrategicPatchReachingAProtectedValue(String document) {
        List<String> refused = refusals(strategic("machine: {certSANs: [a.example.com]}", document));
        assertEquals(1, refused.size(), refused.toString());
        assertEquals("spec.strategicPatches[1]", refused.get(0).substring(0, refused.get(0).indexOf(": ")));
        assertEquals(true, refused.get(0).endsWith(" may not be patched"), refused.toString());
    }

    @Test
    void namesTheProtectedPathOfAStrategicPatch() {
        assertEquals(List.of("spec.strategicPatches[0]: machine.ca may not be patched"),
                refusals(strategic("machine:\n  ca:\n    key: abc\n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"machine: {certSANs: [a.example.com], network: {hostname: n1}}",
            "cluster: {etcd: {extraArgs: {election-timeout: '5000'}}}", "cluster: {etcd: {peers: []}}",
            "machine: {install: {disk: /dev/vda}}", "cluster: {controlPlane: {endpoint: 'https://x:6443'}}"})
    void allowsStrategicPatchOfOrdinaryValues(String document) {
        assertInstanceOf(Verdict.Allowed.class, strategic(document));
    }

    @Test
    void leavesUnreadablePatchesToTheParser() {
        assertInstanceOf(Verdict.Allowed.class, json(new JsonOperation("add", "no-slash", null)));
        assertInstanceOf(Verdict.Allowed.class, strategic("[unclosed"));
    }
}
