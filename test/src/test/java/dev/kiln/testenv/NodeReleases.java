package dev.kiln.testenv;

import dev.kiln.machinery.release.ReleaseArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * node-init release archives for end-to-end tests, in the format docs/upgrades.md describes (a zip of VERSION then
 * node-init.jar, both stored). The jar is thin: its manifest runs this build's node-init jar through Class-Path and it
 * carries the version resource, so the release runs this build reporting another version.
 */
final class NodeReleases {

    /** A written release: its file and its digest. */
    record Release(String version, Path file, String sha256) {
    }

    private final Path dir;
    private final Path nodeInitJar;

    NodeReleases(Path dir, Path nodeInitJar) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.nodeInitJar = nodeInitJar;
    }

    /** This build's node-init, reporting {@code version}. */
    Release working(String version) throws IOException {
        return write(version, "dev.kiln.node.NodeInit", "node-init-" + version + ".zip");
    }

    /** A release whose node-init never starts: its Main-Class does not exist, so each trial boot exits at once. */
    Release neverStarts(String version) throws IOException {
        return write(version, "dev.kiln.node.NoSuchMain", "node-init-" + version + "-broken.zip");
    }

    private Release write(String version, String mainClass, String fileName) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReleaseArchive.write(out, version, jar(mainClass, version));
        byte[] archive = out.toByteArray();
        Path file = dir.resolve(fileName);
        Files.write(file, archive);
        return new Release(version, file, sha256(archive));
    }

    private byte[] jar(String mainClass, String version) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, nodeInitJar.toAbsolutePath().toUri().toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry(ReleaseArchive.VERSION_RESOURCE));
            jar.write((version + "\n").getBytes(StandardCharsets.US_ASCII));
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
