package dev.kiln.kilnctl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.kilnctl.Kilnctl;
import dev.kiln.machinery.pki.SecretsBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

class GenSecretsAndPatchesTest {

    private static final String ENDPOINT = "https://10.5.0.2:6443";

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int kilnctl(String... args) {
        CommandLine cli = Kilnctl.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int genConfig(String... extra) {
        List<String> args = new ArrayList<>(List.of("gen", "config", "demo", ENDPOINT, "--output", dir.toString(),
                "--with-secrets", dir.resolve("secrets.yaml").toString()));
        args.addAll(List.of(extra));
        return kilnctl(args.toArray(String[]::new));
    }

    private Map<?, ?> machine(String file) throws Exception {
        return (Map<?, ?>) ((Map<?, ?>) new Yaml().load(Files.readString(dir.resolve(file)))).get("machine");
    }

    @Test
    void genSecretsWritesAnOwnerOnlyBundle() throws Exception {
        assertEquals(0, kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString()), err.toString());
        Path secrets = dir.resolve("secrets.yaml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        SecretsBundle.fromYaml(Files.readString(secrets));
    }

    @Test
    void genSecretsRefusesToOverwriteWithoutForce() {
        assertEquals(0, kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString()));
        assertEquals(1, kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString()));
        assertTrue(err.toString().contains("already exists (use --force to overwrite)"), err.toString());
    }

    @Test
    void genConfigWithSecretsNextToTheBundleUsesItsCertificateAuthority() throws Exception {
        assertEquals(0, kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString()));
        String bundle = Files.readString(dir.resolve("secrets.yaml"));

        assertEquals(0, genConfig(), err.toString());

        assertEquals(bundle, Files.readString(dir.resolve("secrets.yaml")));
        SecretsBundle secrets = SecretsBundle.fromYaml(bundle);
        Map<?, ?> ca = (Map<?, ?>) machine("controlplane.yaml").get("ca");
        assertTrue(secrets.toYaml().contains(String.valueOf(ca.get("crt"))), "controlplane CA is not the bundle's");
    }

    @Test
    void anInlineStrategicMergePatchInJsonReachesBothConfigs() throws Exception {
        kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString());
        assertEquals(0, genConfig("--config-patch", "{\"machine\":{\"install\":{\"disk\":\"/dev/vdb\"}}}"),
                err.toString());
        assertEquals("/dev/vdb", ((Map<?, ?>) machine("controlplane.yaml").get("install")).get("disk"));
        assertEquals("/dev/vdb", ((Map<?, ?>) machine("worker.yaml").get("install")).get("disk"));
    }

    @Test
    void aJsonPatchFromAFileAppliesAfterEarlierPatchesInOrder() throws Exception {
        kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString());
        Path jsonPatch = Files.writeString(dir.resolve("disk.json"),
                "[{\"op\": \"replace\", \"path\": \"/machine/install/disk\", \"value\": \"/dev/nvme0n1\"}]");
        assertEquals(0, genConfig("--config-patch", "machine:\n  install:\n    disk: /dev/vdb\n",
                "--config-patch", "@" + jsonPatch), err.toString());
        assertEquals("/dev/nvme0n1", ((Map<?, ?>) machine("controlplane.yaml").get("install")).get("disk"));
    }

    @Test
    void aControlPlaneOnlyPatchLeavesTheWorkerAlone() throws Exception {
        kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString());
        assertEquals(0, genConfig("--config-patch-control-plane", "machine: {install: {disk: /dev/vdc}}"),
                err.toString());
        assertEquals("/dev/vdc", ((Map<?, ?>) machine("controlplane.yaml").get("install")).get("disk"));
        assertEquals("/dev/sda", ((Map<?, ?>) machine("worker.yaml").get("install")).get("disk"));
    }

    @Test
    void aJsonPatchThatFailsToApplyIsNamedByItsFlagAndWritesNothing() {
        kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString());
        assertEquals(1, genConfig("--config-patch", "[{\"op\": \"remove\", \"path\": \"/machine/nothing-here\"}]"));
        assertTrue(err.toString().startsWith("error: --config-patch [{\"op\": \"remove\""), err.toString());
        assertFalse(Files.exists(dir.resolve("controlplane.yaml")));
    }

    @Test
    void aMissingPatchFileIsNamed() {
        kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString());
        assertEquals(1, genConfig("--config-patch", "@" + dir.resolve("absent.yaml")));
        assertTrue(err.toString().contains("absent.yaml"), err.toString());
    }

    @Test
    void aPatchThatIsNotYamlIsRefused() {
        kilnctl("gen", "secrets", "-o", dir.resolve("secrets.yaml").toString());
        assertEquals(1, genConfig("--config-patch", "machine: [unclosed"));
        assertTrue(err.toString().startsWith("error: --config-patch machine: [unclosed: not JSON or YAML"),
                err.toString());
    }
}
