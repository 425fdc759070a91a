package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.parseProblems;
import static dev.kiln.machinery.config.TestConfigs.rendered;
import static dev.kiln.machinery.config.TestConfigs.workerYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How Kiln holds Talos configs: typed documents, Talos-only keys, and Talos's leniency. */
class TalosConfigRulesTest {

    private static final String HOSTNAME_DOCUMENT = "---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto: stable\n";

    private static List<String> warnings(String yaml) {
        return rendered(assertInstanceOf(ParseResult.Parsed.class, new ConfigParser().parse(yaml)).warnings());
    }

    @Test
    void aTypedTalosDocumentIsAWarningNamingItsKindAndPlace() {
        assertEquals(List.of("HostnameConfig (document 2): Talos document, not used by Kiln; kept unchanged"),
                warnings(workerYaml() + HOSTNAME_DOCUMENT));
    }

    @Test
    void theV1alpha1DocumentMayComeAfterTypedDocuments() {
        assertEquals(List.of("HostnameConfig (document 1): Talos document, not used by Kiln; kept unchanged"),
                warnings(HOSTNAME_DOCUMENT.substring(4) + "---\n" + workerYaml()));
    }

    @Test
    void aDocumentKindTalosDoesNotHaveIsAnError() {
        assertEquals(List.of("GpuConfig (document 2).kind: unknown document kind GpuConfig: not a Talos config document"),
                rendered(parseProblems(workerYaml() + "---\napiVersion: v1alpha1\nkind: GpuConfig\n")));
    }

    @Test
    void aTypedDocumentOfAnotherApiVersionIsAnError() {
        assertEquals(List.of("HostnameConfig (document 2).apiVersion: must be v1alpha1"),
                rendered(parseProblems(workerYaml() + HOSTNAME_DOCUMENT.replace("apiVersion: v1alpha1", "apiVersion: v2"))));
    }

    @Test
    void aTalosKeyKilnDoesNotUseIsAWarningAtItsPath() {
        assertEquals(List.of("machine.kubelet.image: Talos key, not used by Kiln"),
                warnings(workerYaml().replace("machine:\n", "machine:\n  kubelet:\n    image: k:1\n")));
    }

    @Test
    void aKeyTalosDoesNotHaveInsideATalosSectionIsAnError() {
        assertEquals(List.of("machine.kubelet.colour: unknown key"),
                rendered(parseProblems(workerYaml().replace("machine:\n", "machine:\n  kubelet:\n    colour: blue\n"))));
    }

    @Test
    void aFreeFormTalosMappingTakesAnyKeyAndIsOneWarning() {
        assertEquals(List.of("machine.sysctls: Talos key, not used by Kiln"),
                warnings(workerYaml().replace("machine:\n", "machine:\n  sysctls:\n    net.ipv4.ip_forward: '1'\n")));
    }

    @Test
    void listItemsOfATalosSectionAreCheckedByIndex() {
        assertEquals(List.of("machine.network.interfaces[0].bogus: unknown key"),
                rendered(parseProblems(workerYaml().replace("machine:\n",
                        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        bogus: 1\n"))));
    }

    @Test
    void aUrlSafeBase64ClusterIdIsAccepted() {
        String urlSafe = Base64.getUrlEncoder().encodeToString(new byte[] {-5, -17, -1, 1, 2, 3});
        assertTrue(urlSafe.contains("-") || urlSafe.contains("_"), urlSafe);
        assertEquals(urlSafe, TestConfigs.parseValid(workerYaml().replace(TestConfigs.CLUSTER_ID, urlSafe)).cluster().id());
    }

    @Test
    void aClusterIdThatIsNoBase64AtAllIsAnError() {
        assertEquals(List.of("cluster.id: must be base64 (standard or URL-safe)"),
                rendered(parseProblems(workerYaml().replace(TestConfigs.CLUSTER_ID, "not base64!"))));
    }

    @Test
    void anAggregatorCaWithAnEmptySubjectIsAccepted() {
        String yaml = TestConfigs.controlPlaneYaml().replaceFirst("(aggregatorCA:\n    crt: )\\S+",
                "$1" + TestPem.emptySubjectCertBase64());
        assertTrue(TestConfigs.parseValid(yaml).cluster().aggregatorCA() != null);
    }

    @Test
    void everyDocumentKeepsItsExactTextAndTheTextsJoinToTheWhole() {
        String text = "# leading comment\n" + workerYaml() + "---\n# note\napiVersion: v1alpha1\nkind: HostnameConfig\n"
                + "auto:   stable   # odd spacing\n";
        List<YamlTrees.SourceDocument> documents = YamlTrees.loadAll(text).documents();
        assertEquals(2, documents.size());
        assertEquals(text, documents.get(0).text() + documents.get(1).text());
        assertTrue(documents.get(1).text().startsWith("---\n# note\n"), documents.get(1).text());
    }

    @Test
    void thePatcherWritesTypedDocumentsBackByteForByte() throws Exception {
        String typed = "---\napiVersion: v1alpha1\nkind: HostnameConfig\nauto:   stable   # kept as written\n";
        String patched = new ConfigPatcher().apply(workerYaml() + typed, List.of(),
                List.of("machine:\n  network:\n    hostname: w-1\n"));
        assertTrue(patched.endsWith(typed), patched);
        assertEquals("w-1", TestConfigs.parseValid(patched).machine().network().hostname());
    }

    @Test
    void thePatcherKeepsTalosKeysKilnDoesNotModel() throws Exception {
        String patched = new ConfigPatcher().apply(
                workerYaml().replace("machine:\n", "machine:\n  kubelet:\n    image: k:1\n"), List.of(), List.of());
        assertEquals(List.of("machine.kubelet.image: Talos key, not used by Kiln"), warnings(patched));
    }

    @Test
    void thePatcherRefusesAPatchAddingAKeyTalosDoesNotHave() {
        ConfigPatchException refused = org.junit.jupiter.api.Assertions.assertThrows(ConfigPatchException.class,
                () -> new ConfigPatcher().apply(workerYaml(), List.of(), List.of("machine:\n  kubelets: {}\n")));
        assertEquals(List.of("machine.kubelets: unknown key"), rendered(refused.problems()));
    }

    private static String identityInTypedDocuments(String clusterId) {
        return workerYaml().replaceFirst("cluster:\n(  .*\n)+", "cluster:\n  token: " + TestConfigs.BOOTSTRAP_TOKEN + "\n")
                + "---\napiVersion: v1alpha1\nkind: DiscoveryIdentityConfig\nclusterID: " + clusterId
                + "\nclusterSecret: " + TestConfigs.CLUSTER_SECRET + "\n"
                + "---\napiVersion: v1alpha1\nkind: KubeClusterConfig\nclusterName: demo\nendpoint: https://10.0.0.1:6443\n"
                + "extraLabel: x\n";
    }

    @Test
    void theClusterIdentityIsReadFromTypedDocumentsAsTalosOneFourteenWritesIt() {
        MachineConfig config = TestConfigs.parseValid(identityInTypedDocuments(TestConfigs.CLUSTER_ID));
        assertEquals(List.of(TestConfigs.CLUSTER_ID, TestConfigs.CLUSTER_SECRET, "demo", "https://10.0.0.1:6443"),
                List.of(config.cluster().id(), config.cluster().secret(), config.cluster().clusterName(),
                        config.cluster().controlPlane().endpoint()));
    }

    @Test
    void aKeyKilnDoesNotReadInAnIdentityDocumentIsAWarning() {
        assertEquals(List.of("KubeClusterConfig (document 3).extraLabel: Talos key, not used by Kiln"),
                warnings(identityInTypedDocuments(TestConfigs.CLUSTER_ID)));
    }

    @Test
    void anIdentitySetInBothPlacesWithDifferentValuesIsAnErrorNamingBoth() {
        String yaml = identityInTypedDocuments(TestConfigs.CLUSTER_ID).replace("cluster:\n",
                "cluster:\n  id: " + Base64.getEncoder().encodeToString(new byte[] {1}) + "\n");
        assertEquals(List.of("cluster.id: differs from DiscoveryIdentityConfig (document 2).clusterID; set it in one place"),
                rendered(parseProblems(yaml)));
    }
}
