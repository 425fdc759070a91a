package dev.kiln.node.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.release.ReleaseArchive;
import dev.kiln.node.bootloader.SlotBoot;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import dev.kiln.node.testing.TestReleases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format-2 releases: a jlink runtime in the archive, and a class archive made where the slot's jar lives. */
class ReleaseRuntimeTest {

    @TempDir
    Path dir;

    @Test
    void sameJarClassListAndRuntimeModulesGiveTheSameBytes() throws Exception {
        byte[] jar = probeJar();
        byte[] first = release(jar, jlink(dir.resolve("runtime-1")));
        byte[] second = release(jar, jlink(dir.resolve("runtime-2")));

        assertArrayEquals(first, second, "two builds from the same inputs differ");
    }

    @Test
    void upgradedSlotBootsWithItsClassArchiveInUse() throws Exception {
        Path archive = Files.write(dir.resolve("release.zip"), release(probeJar(), jlink(dir.resolve("runtime"))));
        DiskLayout disk = DiskLayout.format(dir.resolve("root"));
        Meta.fresh().save(disk);
        Upgrader upgrader = new Upgrader(disk, new ReleaseDownload(DownloadTrust.of(Optional.empty()),
                ReleaseDownload.DEFAULT_MAX_BYTES));
        String ref = archive.toUri() + "@sha256:" + TestReleases.sha256(Files.readAllBytes(archive));
        Upgrader.Installed installed = upgrader.install(upgrader.prepare(ImageRef.parse(ref)), "v0.1.0", 0, 0);

        List<String> output = SlotBoot.bootWithSharingRequired(disk, installed.slot(), "-Xlog:class+load=info");

        assertTrue(output.contains("probe ran"), String.join("\n", output));
        assertTrue(output.stream().anyMatch(line -> line.endsWith(SlotProbe.class.getName() + " source: shared objects file")),
                "the probe's class did not come from the slot's class archive:\n" + String.join("\n", output));
    }

    @Test
    void installedSlotBootsWithTheClassArchiveCopiedFromTheRunningRelease() throws Exception {
        Path archive = Files.write(dir.resolve("release.zip"), release(probeJar(), jlink(dir.resolve("runtime"))));
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        ReleaseArchive.unpack(archive, unpacked);
        ReleaseLayout running = new ReleaseLayout(unpacked);
        assertTrue(ClassArchive.create(running) instanceof ClassArchive.Created, "no class archive for the release");
        byte[] made = Files.readAllBytes(running.classArchive());
        DiskLayout disk = DiskLayout.format(dir.resolve("root"));
        Meta.fresh().save(disk);

        BootSlot slot = new Installer(disk, running.jar(), "v0.2.0").install();
        Path copied = new ReleaseLayout(disk.boot(slot)).classArchive();
        assertTrue(Files.isRegularFile(copied), "the install left no class archive in slot " + slot);
        assertArrayEquals(made, Files.readAllBytes(copied), "the slot's class archive is not the running release's");
        List<String> output = SlotBoot.bootWithSharingRequired(disk, slot, "-Xlog:class+load=info");

        assertTrue(output.stream().anyMatch(line -> line.endsWith(SlotProbe.class.getName() + " source: shared objects file")),
                "the probe's class did not come from the copied class archive:\n" + String.join("\n", output));
    }

    @Test
    void unpackedLaunchersAreExecutable() throws Exception {
        Path archive = Files.write(dir.resolve("release.zip"), release(probeJar(), jlink(dir.resolve("runtime"))));
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));

        ReleaseArchive.Contents contents = ReleaseArchive.unpack(archive, unpacked);

        assertEquals(Optional.of(unpacked.resolve("runtime/")), contents.runtime());
        assertTrue(Files.isExecutable(unpacked.resolve("runtime/bin/java")));
    }

    private byte[] release(byte[] jar, Path runtime) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReleaseArchive.write(out, "v0.2.0", jar, classList(), runtime);
        return out.toByteArray();
    }

    private static byte[] classList() {
        return (SlotProbe.class.getName().replace('.', '/') + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A self-contained jar (a class archive cannot cover class directories) whose main class is the probe. */
    private static byte[] probeJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SlotProbe.class.getName());
        String entry = SlotProbe.class.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest);
                InputStream in = SlotProbe.class.getClassLoader().getResourceAsStream(entry)) {
            JarEntry jarEntry = new JarEntry(entry);
            jarEntry.setTime(0);
            jar.putNextEntry(jarEntry);
            jar.write(in.readAllBytes());
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    /** jlink as its own process, as hack/release runs it: repeated runs inside one JVM do not give the same image. */
    private static Path jlink(Path output) throws IOException, InterruptedException {
        Path tool = Path.of(System.getProperty("java.home"), "bin", "jlink");
        assertTrue(Files.isExecutable(tool), "no jlink in this JDK: " + tool);
        Process process = new ProcessBuilder(tool.toString(), "--add-modules", "java.base", "--strip-debug",
                "--no-header-files", "--no-man-pages", "--output", output.toString()).inheritIO().start();
        assertEquals(0, process.waitFor(), "jlink failed");
        return output;
    }

    /** The main class of the probe release: says it ran and halts. */
    public static final class SlotProbe {
        public static void main(String[] args) {
            System.out.println("probe ran");
        }
    }
}
