package dev.kiln.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kilnctl refuses hostile files and flags with one clear line, and never writes a key file others can read. */
class HostileInputTest {

    private static final List<String> KEY_FILES = List.of("secrets.yaml", "controlplane.yaml", "worker.yaml", "kilnconfig");

    @TempDir
    Path dir;

    private final KilnctlRun kilnctl = new KilnctlRun();

    private String[] genConfig(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("gen", "config", "demo", "https://10.5.0.2:6443",
                "--output", dir.resolve("out").toString()));
        args.addAll(Arrays.asList(extra));
        return args.toArray(String[]::new);
    }

    private Path file(String name, byte[] bytes) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void validateRefusesAFileOverOneMebibyteBeforeReadingIt() throws Exception {
        Path big = file("big.yaml", ("a: " + "x".repeat(10 * 1024 * 1024) + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, kilnctl.run("validate", big.toString()));
        assertEquals("error: " + big + ": 10485764 bytes, larger than 1048576 (1 MiB), the limit for a config\n",
                kilnctl.err());
    }

    @Test
    void applyConfigRefusesAFileOverOneMebibyteBeforeConnecting() throws Exception {
        Path big = file("big.yaml", new byte[2 * 1024 * 1024]);
        assertEquals(1, kilnctl.run("apply-config", "--insecure", "--nodes", "127.0.75.1", "-f", big.toString()));
        assertEquals("error: " + big + ": 2097152 bytes, larger than 1048576 (1 MiB), the limit for a config\n",
                kilnctl.err());
    }

    @Test
    void validateNamesTheFileAndByteOfInvalidUtf8() throws Exception {
        byte[] bytes = "version: v1alpha1\n# caf\u00e9\n".getBytes(StandardCharsets.UTF_8);
        byte[] broken = Arrays.copyOf(bytes, bytes.length + 2);
        broken[bytes.length] = (byte) 0xff;
        broken[bytes.length + 1] = '\n';
        Path file = file("controlplane.yaml", broken);
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertEquals("error: " + file + ": not valid UTF-8 at byte " + bytes.length + "\n", kilnctl.err());
    }

    @Test
    void validatePrintsARecursiveAliasAsOneLine() throws Exception {
        Path file = file("alias.yaml", "a: &a {b: *a}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(1, kilnctl.run("validate", file.toString()));
        assertEquals(file + ": error: a.b: recursive alias: the value contains itself\n", kilnctl.err());
    }

    @Test
    void genConfigRefusesAnAdditionalSanThatIsNeitherIpNorDnsNameAndWritesNothing() {
        assertEquals(1, kilnctl.run(genConfig("--additional-sans", "cp.example.com,1.2.3.4.5")));
        assertTrue(kilnctl.err().startsWith("error: --additional-sans: 1.2.3.4.5 must be an IP address or an RFC 1123"),
                kilnctl.err());
        assertFalse(Files.exists(dir.resolve("out").resolve("secrets.yaml")));
    }

    @Test
    void genConfigRefusesAnEndpointItsConfigsWouldNotValidate() {
        assertEquals(1, kilnctl.run("gen", "config", "demo", "https://bad_host:6443", "--output", dir.toString()));
        assertTrue(kilnctl.err().startsWith("error: ENDPOINT: "), kilnctl.err());
        assertFalse(Files.exists(dir.resolve("secrets.yaml")));
    }

    @Test
    void genConfigRefusesToWriteThroughADanglingSymlink() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path elsewhere = dir.resolve("elsewhere.yaml");
        Files.createSymbolicLink(out.resolve("secrets.yaml"), elsewhere);
        assertEquals(1, kilnctl.run(genConfig()));
        assertTrue(kilnctl.err().contains(out.resolve("secrets.yaml") + ": is a symbolic link"), kilnctl.err());
        assertFalse(Files.exists(elsewhere, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void genConfigWithForceRefusesToWriteThroughASymlink() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path elsewhere = file("elsewhere.yaml", "mine\n".getBytes(StandardCharsets.UTF_8));
        Files.createSymbolicLink(out.resolve("kilnconfig"), elsewhere);
        assertEquals(1, kilnctl.run(genConfig("--force")));
        assertTrue(kilnctl.err().contains(out.resolve("kilnconfig") + ": is a symbolic link"), kilnctl.err());
        assertEquals("mine\n", Files.readString(elsewhere));
        assertFalse(Files.exists(out.resolve("secrets.yaml")));
    }

    @Test
    void everyKeyBearingFileIsOwnerOnlyAlsoWhenReplacingAReadableOne() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        for (String name : KEY_FILES) {
            Files.writeString(out.resolve(name), "old\n");
            Files.setPosixFilePermissions(out.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertEquals(0, kilnctl.run(genConfig("--force")), kilnctl.err());
        for (String name : KEY_FILES) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(name))),
                    name);
            assertFalse(Files.readString(out.resolve(name)).startsWith("old"), name);
        }
    }

    @Test
    void withSecretsNamesTheFileOfInvalidUtf8() throws Exception {
        Path secrets = file("secrets.yaml", new byte[] {'a', ':', ' ', (byte) 0xc3, '\n'});
        assertEquals(1, kilnctl.run(genConfig("--with-secrets", secrets.toString())));
        assertEquals("error: " + secrets + ": not valid UTF-8 at byte 3\n", kilnctl.err());
    }
}
