package dev.kiln.node.install;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    private static final String SHARED = "shared objects file";
    /** A class of the runtime the probe never loads by itself. */
    private static final String CONFIGURED_ONLY = "java.util.concurrent.Phaser";

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
    void classListWithTheConfiguredModeMarkerGivesAMaintenanceArchiveOfTheClassesBeforeIt() throws Exception {
        ReleaseLayout layout = unpackedRelease(markedClassList());

        ClassArchive.Outcome outcome = ClassArchive.create(layout);

        assertEquals(List.of(layout.classArchive(), layout.maintenanceClassArchive()),
                ((ClassArchive.Created) outcome).archives());
        assertEquals(SHARED, sourceOf(SlotProbe.class.getName(), layout, layout.maintenanceClassArchive()));
        assertNotEquals(SHARED, sourceOf(CONFIGURED_ONLY, layout, layout.maintenanceClassArchive()));
        assertEquals(SHARED, sourceOf(CONFIGURED_ONLY, layout, layout.classArchive()));
    }

    @Test
    void installCopiesTheMaintenanceArchiveBesideTheWholeOne() throws Exception {
        ReleaseLayout running = unpackedRelease(markedClassList());
        assertTrue(ClassArchive.create(running) instanceof ClassArchive.Created, "no class archives for the release");
        DiskLayout disk = DiskLayout.format(dir.resolve("root"));
        Meta.fresh().save(disk);

        BootSlot slot = new Installer(disk, running.jar(), "v0.2.0").install();

        ReleaseLayout installed = new ReleaseLayout(disk.boot(slot));
        assertArrayEquals(Files.readAllBytes(running.maintenanceClassArchive()),
                Files.readAllBytes(installed.maintenanceClassArchive()), "slot " + slot + " has another maintenance archive");
        assertEquals(SHARED, sourceOf(SlotProbe.class.getName(), installed, installed.maintenanceClassArchive()));
    }

    @Test
    void shippedClassListPutsMaintenanceModesClassesBeforeTheMarker() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/release/node-init.classlist"), StandardCharsets.UTF_8);
        int marker = lines.indexOf(ClassArchive.CONFIGURED_MODE_MARKER);

        assertTrue(marker > 0, "src/release/node-init.classlist has no line '" + ClassArchive.CONFIGURED_MODE_MARKER
                + "': run hack/release --train");
        assertTrue(lines.subList(0, marker).contains("dev/kiln/node/api/MachineServiceImpl"));
        assertFalse(lines.subList(0, marker).contains("io/etcd/jetcd/Client"), "the etcd client is configured mode's");
        assertTrue(lines.subList(marker, lines.size()).contains("io/etcd/jetcd/Client"));
    }

    @Test
    void classListWithoutTheMarkerGivesOneArchive() throws Exception {
        ReleaseLayout layout = unpackedRelease(classList());

        ClassArchive.Outcome outcome = ClassArchive.create(layout);

        assertEquals(List.of(layout.classArchive()), ((ClassArchive.Created) outcome).archives());
        assertFalse(Files.exists(layout.maintenanceClassArchive()));
    }

    @Test
    void unpackedLaunchersAreExecutable() throws Exception {
        Path archive = Files.write(dir.resolve("release.zip"), release(probeJar(), jlink(dir.resolve("runtime"))));
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));

        ReleaseArchive.Contents contents = ReleaseArchive.unpack(archive, unpacked);

        assertEquals(Optional.of(unpacked.resolve("runtime/")), contents.runtime());
        assertTrue(Files.isExecutable(unpacked.resolve("runtime/bin/java")));
    }

    /** The probe release with {@code classList}, built with a fresh jlink runtime and unpacked. */
    private ReleaseLayout unpackedRelease(byte[] classList) throws Exception {
        Path archive = Files.write(dir.resolve("release.zip"), release(probeJar(), jlink(dir.resolve("runtime")),
                classList));
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        ReleaseArchive.unpack(archive, unpacked);
        return new ReleaseLayout(unpacked);
    }

    private byte[] release(byte[] jar, Path runtime) throws IOException {
        return release(jar, runtime, classList());
    }

    private byte[] release(byte[] jar, Path runtime, byte[] classList) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReleaseArchive.write(out, "v0.2.0", jar, classList, runtime);
        return out.toByteArray();
    }

    /** Where the release's JVM, with sharing required and the given archive, loaded a class from. */
    private static String sourceOf(String className, ReleaseLayout layout, Path archive) throws Exception {
        Process process = new ProcessBuilder(layout.java().toString(), "-XX:+UseSerialGC", "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-cp", layout.jar().getFileName().toString(),
                SlotProbe.class.getName(), "--load=" + className).directory(layout.dir().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        String prefix = " " + className + " source: ";
        return output.lines().filter(line -> line.contains(prefix)).findFirst()
                .map(line -> line.substring(line.indexOf(prefix) + prefix.length()))
                .orElseThrow(() -> new AssertionError(className + " was not loaded:\n" + output));
    }

    /** The probe's class for maintenance mode, then the marker, then a class only configured mode would load. */
    private static byte[] markedClassList() {
        return (SlotProbe.class.getName().replace('.', '/') + "\n" + ClassArchive.CONFIGURED_MODE_MARKER + "\n"
                + CONFIGURED_ONLY.replace('.', '/') + "\n").getBytes(StandardCharsets.US_ASCII);
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

    /** The main class of the probe release: loads the classes {@code --load=CLASS} names, says it ran and halts. */
    public static final class SlotProbe {
        public static void main(String[] args) throws ClassNotFoundException {
            for (String arg : args) {
                if (arg.startsWith("--load=")) {
                    Class.forName(arg.substring("--load=".length()));
                }
            }
            System.out.println("probe ran");
        }
    }
}
