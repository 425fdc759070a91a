package dev.kiln.node.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.release.ReleaseArchive;
import dev.kiln.node.testing.TestReleases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseArchiveTest {

    @TempDir
    Path dir;

    private static byte[] release(String version, byte[] jar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReleaseArchive.write(out, version, jar);
        return out.toByteArray();
    }

    @Test
    void sameJarAndVersionGiveTheSameBytes() throws Exception {
        byte[] jar = TestReleases.jar("dev.kiln.node.NodeInit", "v0.2.0");

        assertArrayEquals(release("v0.2.0", jar), release("v0.2.0", jar.clone()));
    }

    @Test
    void settingTheVersionOfTheSameJarTwiceGivesTheSameBytes() throws Exception {
        byte[] jar = TestReleases.jar("dev.kiln.node.NodeInit", "v0.1.0");

        assertArrayEquals(ReleaseArchive.withVersion(jar, "v0.3.0"), ReleaseArchive.withVersion(jar, "v0.3.0"));
    }

    @Test
    void readGivesTheVersionAndExtractsTheJar() throws Exception {
        byte[] jar = ReleaseArchive.withVersion(TestReleases.jar("dev.kiln.node.NodeInit", "v0.1.0"), "v0.2.0");
        Path archive = Files.write(dir.resolve("r.zip"), release("v0.2.0", jar));

        ReleaseArchive.Contents contents = ReleaseArchive.read(archive, dir.resolve("node-init.jar"));

        assertEquals("v0.2.0", contents.version());
        assertArrayEquals(jar, Files.readAllBytes(contents.jar()));
        try (var zip = new java.util.zip.ZipFile(contents.jar().toFile())) {
            assertEquals("v0.2.0\n", new String(zip.getInputStream(zip.getEntry(ReleaseArchive.VERSION_RESOURCE))
                    .readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void archiveWithAnExtraEntryIsNotARelease() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {"VERSION", "node-init.jar", "extra"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(name.equals("node-init.jar") ? TestReleases.jar("x.Main", "v1") : "v1".getBytes());
                zip.closeEntry();
            }
        }
        Path archive = Files.write(dir.resolve("r.zip"), out.toByteArray());

        ReleaseArchive.InvalidRelease refused = assertThrows(ReleaseArchive.InvalidRelease.class,
                () -> ReleaseArchive.read(archive, dir.resolve("node-init.jar")));

        assertTrue(refused.getMessage().contains("found [VERSION, node-init.jar, extra]"), refused.getMessage());
    }

    @Test
    void runtimeEntryEscapingTheRuntimeDirectoryIsRefusedNamingIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {"VERSION", "node-init.jar", "node-init.classlist", "runtime/../../etc/x"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(name.equals("node-init.jar") ? TestReleases.jar("x.Main", "v1") : "v1".getBytes());
                zip.closeEntry();
            }
        }
        Path archive = Files.write(dir.resolve("r.zip"), out.toByteArray());

        ReleaseArchive.InvalidRelease refused = assertThrows(ReleaseArchive.InvalidRelease.class,
                () -> ReleaseArchive.unpack(archive, Files.createDirectories(dir.resolve("out"))));

        assertTrue(refused.getMessage().startsWith("entry runtime/../../etc/x: not a runtime file name"),
                refused.getMessage());
    }

    @Test
    void jarWithoutAMainClassIsNotARelease() throws Exception {
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(jar)) {
            zip.putNextEntry(new ZipEntry("a.txt"));
            zip.closeEntry();
        }
        Path archive = Files.write(dir.resolve("r.zip"), release("v1", jar.toByteArray()));

        ReleaseArchive.InvalidRelease refused = assertThrows(ReleaseArchive.InvalidRelease.class,
                () -> ReleaseArchive.read(archive, dir.resolve("node-init.jar")));

        assertEquals("node-init.jar: no Main-Class in its manifest", refused.getMessage());
    }

    @Test
    void imageReferenceNeedsAnHttpsOrFileUrlAndAFullDigest() {
        String digest = "a".repeat(64);
        assertEquals("https://h/r.zip", ImageRef.parse("https://h/r.zip@sha256:" + digest).url().toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageRef.parse("https://h/r.zip"))
                .getMessage().contains("the digest is mandatory"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ImageRef.parse("http://h/r.zip@sha256:" + digest)).getMessage().startsWith("image: URL must be"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ImageRef.parse("https://h/r.zip@sha256:abc")).getMessage().startsWith("image: digest must be"));
    }

    @Test
    void downloadLargerThanTheBoundIsRefused() throws Exception {
        Path big = Files.write(dir.resolve("big.zip"), new byte[4096]);
        ImageRef ref = ImageRef.parse(big.toUri() + "@sha256:" + TestReleases.sha256(Files.readAllBytes(big)));
        ReleaseDownload download = new ReleaseDownload(DownloadTrust.of(java.util.Optional.empty()), 1024);

        ReleaseDownload.DownloadFailed refused = assertThrows(ReleaseDownload.DownloadFailed.class,
                () -> download.fetch(ref, dir.resolve("out")));

        assertEquals("image: larger than the 1024-byte limit", refused.getMessage());
    }
}
