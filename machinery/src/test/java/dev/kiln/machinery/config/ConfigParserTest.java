package dev.kiln.machinery.config;

import static dev.kiln.machinery.config.TestConfigs.parseProblems;
import static dev.kiln.machinery.config.TestConfigs.parseValid;
import static dev.kiln.machinery.config.TestConfigs.rendered;
import static dev.kiln.machinery.config.TestConfigs.workerYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    @Test
    void parsesMinimalWorker() {
        assertEquals(TestConfigs.worker(), parseValid(workerYaml()));
    }

    @Test
    void parsesControlPlaneUsingEveryKey() {
        assertEquals(TestConfigs.controlPlane(), parseValid(TestConfigs.controlPlaneYaml()));
    }

    @Test
    void reportsControlPlaneMachineAsControlPlane() {
        assertTrue(parseValid(TestConfigs.controlPlaneYaml()).machine().isControlPlane());
        assertFalse(parseValid(workerYaml()).machine().isControlPlane());
    }

    @Test
    void defaultsDebugToFalseAndPersistToTrue() {
        MachineConfig config = parseValid(workerYaml());
        assertFalse(config.debug());
        assertTrue(config.persist());
    }

    @Test
    void readsAbsentOptionalSectionsAsNullAndAbsentListsAsEmpty() {
        MachineConfig config = parseValid(workerYaml());
        assertEquals(null, config.machine().install());
        assertEquals(null, config.cluster().etcd());
        assertEquals(List.of(), config.machine().certSANs());
    }

    @Test
    void readsKeyWithNullValueAsAbsent() {
        MachineConfig config = parseValid(workerYaml().replace("machine:\n", "machine:\n  install:\n  certSANs: ~\n"));
        assertEquals(null, config.machine().install());
        assertEquals(List.of(), config.machine().certSANs());
    }

    @Test
    void keepsEmptySectionPresent() {
        assertEquals(new NetworkSection(null),
                parseValid(workerYaml().replace("machine:\n", "machine:\n  network: {}\n")).machine().network());
    }

    @Test
    void reportsUnknownKeyByPath() {
        assertEquals(List.of("machine.foo: unknown key"),
                rendered(parseProblems(workerYaml().replace("machine:\n", "machine:\n  foo: bar\n"))));
    }

    @Test
    void reportsUnknownKeyInsideNestedSection() {
        assertEquals(List.of("cluster.controlPlane.port: unknown key"),
                rendered(parseProblems(workerYaml() + "    port: 6443\n")));
    }

    @Test
    void reportsUnknownTopLevelKey() {
        assertEquals(List.of("machines: unknown key"), rendered(parseProblems(workerYaml() + "machines: {}\n")));
    }

    @Test
    void rejectsWorkerTypeTypo() {
        assertEquals(List.of("machine.type: must be controlplane or worker"),
                rendered(parseProblems(workerYaml().replace("type: worker", "type: wroker"))));
    }

    @Test
    void reportsMissingMachineType() {
        assertEquals(List.of("machine.type: is required"),
                rendered(parseProblems(workerYaml().replace("  type: worker\n", ""))));
    }

    @Test
    void reportsMissingClusterNameOfAControlPlaneMachine() {
        assertEquals(List.of("cluster.clusterName: is required"),
                rendered(parseProblems(TestConfigs.controlPlaneYaml().replace("  clusterName: demo\n", ""))));
    }

    @Test
    void acceptsAWorkerWithoutClusterNameAsTalosWritesIt() {
        TestConfigs.parseValid(workerYaml().replace("  clusterName: demo\n", ""));
    }

    @Test
    void reportsEmptyRequiredStringAsMissing() {
        assertEquals(List.of("cluster.clusterName: is required"),
                rendered(parseProblems(TestConfigs.controlPlaneYaml().replace("clusterName: demo", "clusterName: ''"))));
    }

    @Test
    void reportsMissingSections() {
        assertEquals(List.of("machine: is required", "cluster: is required"),
                rendered(parseProblems("version: v1alpha1\n")));
    }

    @Test
    void rejectsVersionOtherThanV1alpha1() {
        assertEquals(List.of("version: must be v1alpha1"),
                rendered(parseProblems(workerYaml().replace("v1alpha1", "v1alpha2"))));
    }

    @Test
    void reportsCertSANsThatAreNotAList() {
        assertEquals(List.of("machine.certSANs: must be a list of strings"),
                rendered(parseProblems(workerYaml().replace("machine:\n", "machine:\n  certSANs: cp.example.com\n"))));
    }

    @Test
    void reportsNonStringListItemByIndex() {
        assertEquals(List.of("machine.certSANs[1]: must be a string"),
                rendered(parseProblems(workerYaml().replace("machine:\n", "machine:\n  certSANs: [a, {b: c}]\n"))));
    }

    @Test
    void reportsSectionThatIsNotAMapping() {
        assertEquals(List.of("machine.install: must be a mapping"),
                rendered(parseProblems(workerYaml().replace("machine:\n", "machine:\n  install: /dev/sda\n"))));
    }

    @Test
    void reportsNonBooleanFlag() {
        assertEquals(List.of("debug: must be a boolean (true or false)"),
                rendered(parseProblems(workerYaml() + "debug: maybe\n")));
    }

    @Test
    void reportsNumberWhereStringIsExpected() {
        assertEquals(List.of("cluster.clusterName: must be a string"),
                rendered(parseProblems(workerYaml().replace("clusterName: demo", "clusterName: 42"))));
    }

    @Test
    void readsYesAndNoAsStringsNotBooleans() {
        MachineConfig config = parseValid(workerYaml().replace("clusterName: demo", "clusterName: no")
                .replace("machine:\n", "machine:\n  network:\n    hostname: on\n"));
        assertEquals("no", config.cluster().clusterName());
        assertEquals("on", config.machine().network().hostname());
    }

    @Test
    void doesNotAlsoReportWronglyTypedFieldAsMissing() {
        assertEquals(List.of("machine.token: must be a string"),
                rendered(parseProblems(workerYaml().replace("token: " + TestConfigs.MACHINE_TOKEN, "token: [x]"))));
    }

    @Test
    void reportsEtcdPeerThatIsNotHttpsByIndex() {
        String yaml = TestConfigs.controlPlaneYaml().replace("- https://10.0.0.3:2379", "- http://10.0.0.3:2379");
        assertEquals(List.of("cluster.etcd.peers[1]: must be an https URL"), rendered(parseProblems(yaml)));
    }

    @Test
    void reportsExtraArgValueThatIsNotAString() {
        String yaml = TestConfigs.controlPlaneYaml().replace("election-timeout: '5000'", "election-timeout: 5000");
        assertEquals(List.of("cluster.etcd.extraArgs.election-timeout: must be a string"), rendered(parseProblems(yaml)));
    }

    @Test
    void reportsMalformedMachineCaCertificate() {
        String yaml = TestConfigs.controlPlaneYaml().replaceFirst(
                "crt: " + TestPem.certBase64(), "crt: " + TestPem.base64("-----BEGIN CERTIFICATE-----\nAAAA\n"
                        + "-----END CERTIFICATE-----\n"));
        assertEquals(List.of("machine.ca.crt: not a valid base64 PEM certificate"), rendered(parseProblems(yaml)));
    }

    @Test
    void reportsCaCertificateThatIsNotBase64() {
        String yaml = TestConfigs.controlPlaneYaml().replaceFirst("crt: " + TestPem.certBase64(), "crt: not*base64");
        assertEquals(List.of("machine.ca.crt: not a valid base64 PEM certificate"), rendered(parseProblems(yaml)));
    }

    @Test
    void reportsPrivateKeyGivenWhereCertificateIsExpected() {
        String yaml = TestConfigs.controlPlaneYaml().replaceFirst("crt: " + TestPem.certBase64(),
                "crt: " + TestPem.keyBase64());
        assertEquals(List.of("machine.ca.crt: not a valid base64 PEM certificate"), rendered(parseProblems(yaml)));
    }

    @Test
    void reportsCertificateGivenWhereKeyIsExpected() {
        String yaml = TestConfigs.controlPlaneYaml().replace("    key: " + TestPem.keyBase64() + "\n  certSANs",
                "    key: " + TestPem.certBase64() + "\n  certSANs");
        assertEquals(List.of("machine.ca.key: not a valid base64 PEM private key"), rendered(parseProblems(yaml)));
    }

    @Test
    void acceptsTraditionalEcAndTalosEd25519PrivateKeys() {
        String yaml = TestConfigs.controlPlaneYaml()
                .replace("  serviceAccount:\n    key: " + TestPem.keyBase64(),
                        "  serviceAccount:\n    key: " + TestPem.base64(TestPem.ED25519_KEY_PEM))
                .replace("    key: " + TestPem.keyBase64() + "\n  certSANs",
                        "    key: " + TestPem.base64(TestPem.EC_KEY_PEM) + "\n  certSANs");
        assertEquals(TestPem.EC_KEY_PEM, parseValid(yaml).machine().ca().decodedKey());
    }

    @Test
    void acceptsCaWithoutKeyOutsideEtcd() {
        String yaml = workerYaml() + "  ca:\n    crt: " + TestPem.certBase64() + "\n";
        assertEquals(new PemPair(TestPem.certBase64(), null), parseValid(yaml).cluster().ca());
    }

    @Test
    void requiresEtcdForControlPlane() {
        assertEquals(List.of("cluster.etcd: is required for a controlplane machine"),
                rendered(parseProblems(workerYaml().replace("type: worker", "type: controlplane"))));
    }

    @Test
    void requiresBothCrtAndKeyForEtcdCa() {
        String yaml = workerYaml() + "  etcd:\n    ca:\n      crt: " + TestPem.certBase64() + "\n";
        assertEquals(List.of("cluster.etcd.ca.key: is required"), rendered(parseProblems(yaml)));
    }

    @Test
    void requiresCaInsideEtcd() {
        assertEquals(List.of("cluster.etcd.ca: is required"),
                rendered(parseProblems(workerYaml() + "  etcd:\n    peers: [https://10.0.0.2:2379]\n")));
    }

    @Test
    void rejectsMalformedMachineToken() {
        assertEquals(List.of("machine.token: must have the form [a-z0-9]{6}.[a-z0-9]{16}"),
                rendered(parseProblems(workerYaml().replace(TestConfigs.MACHINE_TOKEN, "ABCDEF.0123456789abcdef"))));
    }

    @Test
    void rejectsMalformedBootstrapToken() {
        assertEquals(List.of("cluster.token: must have the form [a-z0-9]{6}.[a-z0-9]{16}"),
                rendered(parseProblems(workerYaml() + "  token: abc.def\n")));
    }

    @Test
    void rejectsHttpControlPlaneEndpoint() {
        assertEquals(List.of("cluster.controlPlane.endpoint: must be an https URL"),
                rendered(parseProblems(workerYaml().replace("https://10.0.0.1:6443", "http://10.0.0.1:6443"))));
    }

    @Test
    void rejectsControlPlaneEndpointWithPath() {
        assertEquals(List.of("cluster.controlPlane.endpoint: must be an https URL"),
                rendered(parseProblems(workerYaml().replace("https://10.0.0.1:6443", "https://10.0.0.1:6443/api"))));
    }

    @Test
    void acceptsControlPlaneEndpointWithoutPortOrWithIpv6Host() {
        parseValid(workerYaml().replace("https://10.0.0.1:6443", "https://kube.example.com"));
        parseValid(workerYaml().replace("https://10.0.0.1:6443", "'https://[fd00::1]:6443'"));
    }

    @Test
    void rejectsClusterNameThatIsNotDnsLabel() {
        assertEquals(1, parseProblems(workerYaml().replace("clusterName: demo", "clusterName: Demo_1")).size());
    }

    @Test
    void rejectsHostnameThatIsNotRfc1123() {
        List<ConfigProblem> problems =
                parseProblems(workerYaml().replace("machine:\n", "machine:\n  network:\n    hostname: -node-\n"));
        assertEquals(List.of("machine.network.hostname"), problems.stream().map(ConfigProblem::path).toList());
    }

    @Test
    void acceptsDottedHostname() {
        assertEquals("cp-1.example.com", parseValid(
                workerYaml().replace("machine:\n", "machine:\n  network:\n    hostname: cp-1.example.com\n"))
                .machine().network().hostname());
    }

    @Test
    void rejectsClusterSecretThatIsNotBase64() {
        assertEquals(List.of("cluster.secret: must be base64"),
                rendered(parseProblems(workerYaml().replace(TestConfigs.CLUSTER_SECRET, "not-base64!"))));
    }

    @Test
    void acceptsAnInstallSectionWithoutDisk() {
        assertNull(TestConfigs.parseValid(workerYaml().replace("machine:\n", "machine:\n  install:\n    wipe: true\n"))
                .machine().install().disk());
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        String yaml = "version: v2\n"
                + "machine:\n"
                + "  type: wroker\n"
                + "  foo: 1\n"
                + "  certSANs: nope\n"
                + "cluster:\n"
                + "  id: " + TestConfigs.CLUSTER_ID + "\n"
                + "  secret: " + TestConfigs.CLUSTER_SECRET + "\n"
                + "  controlPlane: {endpoint: 'ftp://x'}\n";
        assertEquals(List.of(
                        "machine.type: must be controlplane or worker",
                        "machine.certSANs: must be a list of strings",
                        "machine.foo: unknown key",
                        "version: must be v1alpha1",
                        "machine.token: is required",
                        "cluster.clusterName: is required",
                        "cluster.controlPlane.endpoint: must be an https URL"),
                rendered(parseProblems(yaml)));
    }

    @Test
    void reportsYamlSyntaxErrorWithLineAndColumn() {
        List<ConfigProblem> problems = parseProblems("version: v1alpha1\nmachine:\n  type: worker\n   token: x\n");
        assertEquals(1, problems.size());
        assertEquals("(yaml)", problems.get(0).path());
        assertTrue(problems.get(0).message().startsWith("line 4, column 9: "), problems.get(0).message());
    }

    @Test
    void rejectsDuplicateKeysAsYamlError() {
        List<ConfigProblem> problems = parseProblems(workerYaml() + "version: v1alpha1\n");
        assertEquals("(yaml)", problems.get(0).path());
        assertTrue(problems.get(0).message().contains("duplicate key"), problems.get(0).message());
    }

    @Test
    void rejectsTwoV1alpha1Documents() {
        assertEquals(List.of("(yaml): expected one v1alpha1 document (the one without kind), found 2"),
                rendered(parseProblems(workerYaml() + "---\n" + workerYaml())));
    }

    @Test
    void rejectsNonMappingRoot() {
        assertEquals(List.of("(root): must be a mapping"), rendered(parseProblems("- version: v1alpha1\n")));
    }

    @Test
    void rejectsEmptyDocument() {
        assertEquals(List.of("(root): must be a mapping"), rendered(parseProblems("")));
    }

    @Test
    void rejectsExplicitlyTaggedNonPlainValue() {
        assertEquals(List.of("cluster.id: unsupported YAML value (use mappings, lists, strings, numbers, booleans or null)"),
                rendered(parseProblems(workerYaml().replace("id: " + TestConfigs.CLUSTER_ID, "id: !!binary AAAA"))));
    }

    @Test
    void reportsUnconstructibleTaggedScalarAsYamlProblem() {
        List<ConfigProblem> problems = parseProblems(workerYaml() + "debug: !!int maybe\n");
        assertEquals("(yaml)", problems.get(0).path());
    }

    @Test
    void parsesTreeAlreadyLoaded() {
        Map<String, Object> tree = Map.of("version", "v1alpha1");
        ParseResult result = new ConfigParser().parseTree(tree);
        assertEquals(List.of("machine: is required", "cluster: is required"),
                rendered(((ParseResult.Invalid) result).problems()));
    }
}
