package dev.kiln.machinery.clientconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KilnConfigTest {

    private static CertificateAuthority osCa;
    private static KilnContext demo;
    private static KilnContext other;

    @BeforeAll
    static void issueClientCertificates() {
        osCa = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        demo = KilnContext.forClient(osCa, "admin", Set.of(Role.ADMIN), List.of("127.0.10.1:50000"))
                .withNodes(List.of("127.0.10.1"));
        other = KilnContext.forClient(osCa, "reader", Set.of(Role.READER), List.of("127.0.20.1:50000"));
    }

    @Test
    void yamlRoundTripIsExact() {
        KilnConfig config = KilnConfig.of("admin@demo", demo).withContext("reader@demo", other);

        KilnConfig parsed = KilnConfig.parse(config.toYaml());

        assertEquals(config, parsed);
        assertEquals(config.toYaml(), parsed.toYaml());
    }

    @Test
    void parsesTheDocumentedLayoutWithFlowLists() {
        String yaml = """
                context: admin@demo
                contexts:
                  admin@demo:
                    endpoints: [127.0.10.1:50000]
                    nodes: [127.0.10.1]
                    ca: %s
                    crt: %s
                    key: %s
                """.formatted(base64(demo.ca()), base64(demo.crt()), base64(demo.key()));

        KilnConfig config = KilnConfig.parse(yaml);

        assertEquals("admin@demo", config.currentContext());
        assertEquals(demo, config.current());
        assertEquals(List.of("127.0.10.1:50000"), config.current().endpoints());
    }

    @Test
    void toYamlListsContextsSortedByName() {
        KilnConfig config = KilnConfig.of("zeta", demo).withContext("alpha", other).withCurrentContext("zeta");

        String yaml = config.toYaml();

        assertTrue(yaml.startsWith("context: zeta\ncontexts:\n  alpha:\n"), yaml);
        assertTrue(yaml.indexOf("\n  alpha:") < yaml.indexOf("\n  zeta:"), yaml);
    }

    @Test
    void currentNamesTheMissingContextAndTheKnownOnes() {
        KilnConfig config = KilnConfig.of("admin@demo", demo).withCurrentContext("admin@prod");

        KilnConfigException error = assertThrows(KilnConfigException.class, config::current);

        assertEquals(List.of("context: \"admin@prod\" is not defined in contexts (known contexts: admin@demo)"),
                error.problems());
    }

    @Test
    void currentReportsThatNoContextIsSet() {
        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.empty().current());

        assertEquals(List.of("context: no current context is set (no contexts are defined)"), error.problems());
    }

    @Test
    void parseNamesMissingFieldsByPath() {
        String yaml = """
                context: admin@demo
                contexts:
                  admin@demo:
                    endpoints: [127.0.10.1:50000]
                    ca: %s
                """.formatted(base64(demo.ca()));

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.parse(yaml));

        assertEquals(List.of("contexts.admin@demo.crt: is required", "contexts.admin@demo.key: is required"),
                error.problems());
    }

    @Test
    void parseReportsUnknownKeysByPath() {
        String yaml = KilnConfig.of("admin@demo", demo).toYaml()
                .replace("    endpoints:", "    endpoint:")
                .replace("context: admin@demo", "context: admin@demo\npreferences: {}");

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.parse(yaml));

        assertEquals(List.of("contexts.admin@demo.endpoint: unknown key", "preferences: unknown key"),
                error.problems());
    }

    @Test
    void parseNamesMalformedCertificateByPath() {
        String yaml = KilnConfig.of("admin@demo", demo).toYaml()
                .replace(base64(demo.crt()), base64("not a certificate"));

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.parse(yaml));

        assertEquals(List.of("contexts.admin@demo.crt: not a valid base64 PEM certificate"), error.problems());
    }

    @Test
    void parseRejectsKeyThatDoesNotMatchTheCertificate() {
        String yaml = KilnConfig.of("admin@demo", demo).toYaml().replace(base64(demo.key()), base64(other.key()));

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.parse(yaml));

        assertEquals(List.of("contexts.admin@demo.key: does not match the public key of contexts.admin@demo.crt"),
                error.problems());
    }

    @Test
    void parseReportsListElementsThatAreNotStrings() {
        String yaml = KilnConfig.of("admin@demo", demo).toYaml()
                .replace("      - 127.0.10.1\n", "      - [127.0.10.1]\n");

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.parse(yaml));

        assertEquals(List.of("contexts.admin@demo.nodes[0]: must be a non-empty string"), error.problems());
    }

    @Test
    void numberLikeValuesStayStringsAndSurviveRoundTrip() {
        KilnConfig config = KilnConfig.of("1.5", demo.withNodes(List.of("12345", "10:20", "true")));

        KilnConfig parsed = KilnConfig.parse(config.toYaml());

        assertEquals(config, parsed);
        assertEquals(List.of("12345", "10:20", "true"), parsed.current().nodes());
    }

    @Test
    void withContextAddsTheContextAndMakesItCurrentWithoutChangingTheOriginal() {
        KilnConfig original = KilnConfig.of("admin@demo", demo);

        KilnConfig updated = original.withContext("reader@demo", other);

        assertEquals("reader@demo", updated.currentContext());
        assertEquals(Set.of("admin@demo", "reader@demo"), updated.contexts().keySet());
        assertEquals(Set.of("admin@demo"), original.contexts().keySet());
    }

    @Test
    void mergeRenamesAConflictingContextAndSelectsIt() {
        KilnConfig mine = KilnConfig.of("admin@demo", demo);
        KilnConfig theirs = KilnConfig.of("admin@demo", other);

        KilnConfig merged = mine.merge(theirs);

        assertEquals("admin@demo-1", merged.currentContext());
        assertEquals(Map.of("admin@demo", demo, "admin@demo-1", other), merged.contexts());
    }

    @Test
    void mergeDoesNotDuplicateAnIdenticalContext() {
        KilnConfig mine = KilnConfig.of("admin@demo", demo).withContext("reader@demo", other);

        KilnConfig merged = mine.merge(KilnConfig.of("admin@demo", demo));

        assertEquals("admin@demo", merged.currentContext());
        assertEquals(Set.of("admin@demo", "reader@demo"), merged.contexts().keySet());
    }

    @Test
    void saveWritesAnOwnerOnlyFileThatLoadReadsBack(@TempDir Path directory) throws Exception {
        Path file = directory.resolve(".kiln").resolve("config");
        KilnConfig config = KilnConfig.of("admin@demo", demo);

        config.save(file);

        assertEquals(config, KilnConfig.load(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void saveReplacesAnExistingFileWithoutLeavingTemporaryFiles(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("config");
        Files.writeString(file, "old contents");

        KilnConfig.of("reader@demo", other).save(file);

        assertEquals("reader@demo", KilnConfig.load(file).currentContext());
        try (var entries = Files.list(directory)) {
            assertEquals(List.of(file), entries.toList());
        }
    }

    @Test
    void loadNamesTheFileInErrors(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("config");
        Files.writeString(file, "context: [unclosed");

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.load(file));

        assertTrue(error.getMessage().startsWith("invalid kilnconfig " + file + ":"), error.getMessage());
        assertTrue(error.problems().get(0).startsWith("(document): invalid YAML at line 1"), error.problems().get(0));
    }

    @Test
    void loadNamesTheFileAndByteOfInvalidUtf8(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("kilnconfig");
        Files.write(file, new byte[] {'c', 'o', 'n', 't', 'e', 'x', 't', ':', ' ', (byte) 0xe9, '\n'});

        KilnConfigException error = assertThrows(KilnConfigException.class, () -> KilnConfig.load(file));

        assertEquals("invalid kilnconfig " + file + ":\n  not valid UTF-8 at byte 9", error.getMessage());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
