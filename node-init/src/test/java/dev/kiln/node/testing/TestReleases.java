package dev.kiln.node.testing;

import dev.kiln.machinery.release.ReleaseArchive;
import dev.kiln.node.NodeInit;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * node-init releases built from this tree for tests. The release jar holds a manifest and the version resource; its
 * Class-Path names this test run's class path, so it runs this build's node-init reporting another version.
 */
public final class TestReleases {

    /** A written release: its file and the reference Upgrade takes for it over file://. */
    public record Release(Path file, String sha256) {
        public String fileRef() {
            return file.toUri() + "@sha256:" + sha256;
        }
    }

    private final Path dir;

    public TestReleases(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** This build's node-init, reporting {@code version}. */
    public Release nodeInit(String version) throws IOException {
        return write(version, jar(NodeInit.class.getName(), version));
    }

    /** A release whose node-init never comes up: its main class exits at once. */
    public Release exitsAtOnce(String version) throws IOException {
        return write(version, jar(ExitsAtOnce.class.getName(), version));
    }

    /** A release whose node-init runs but never serves anything. */
    public Release servesNothing(String version) throws IOException {
        return write(version, jar(ServesNothing.class.getName(), version));
    }

    public Release write(String version, byte[] jar) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReleaseArchive.write(out, version, jar);
        byte[] bytes = out.toByteArray();
        Path file = dir.resolve("node-init-" + version + "-" + Integer.toHexString(java.util.Arrays.hashCode(jar)) + ".zip");
        Files.write(file, bytes);
        return new Release(file, sha256(bytes));
    }

    public static byte[] jar(String mainClass, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        StringJoiner classPath = new StringJoiner(" ");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                classPath.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry(ReleaseArchive.VERSION_RESOURCE));
            jar.write((version + "\n").getBytes(StandardCharsets.US_ASCII));
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Main class of a broken release: exits with a failure before doing anything. */
    public static final class ExitsAtOnce {
        public static void main(String[] args) {
            System.out.println("broken release: exiting");
            System.exit(1);
        }
    }

    /** Main class of a broken release: stays up and serves nothing. */
    public static final class ServesNothing {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("broken release: serving nothing");
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
