package dev.kiln.node.install;

import dev.kiln.machinery.release.ReleaseArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds a release archive from a node-init jar: {@code ReleaseBuilder JAR VERSION OUT}. The jar's version resource is
 * set to VERSION; prints the {@code file://…@sha256:…} reference of OUT.
 */
public final class ReleaseBuilder {

    private ReleaseBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ReleaseBuilder JAR VERSION OUT");
            System.exit(2);
        }
        Path out = Path.of(args[2]).toAbsolutePath();
        try {
            System.out.println(build(Path.of(args[0]), args[1], out));
        } catch (IllegalArgumentException e) {
            System.err.println("release: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Writes the release to {@code out} and returns its reference. */
    public static String build(Path jar, String version, Path out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReleaseArchive.write(bytes, version, ReleaseArchive.withVersion(Files.readAllBytes(jar), version));
        byte[] archive = bytes.toByteArray();
        Files.write(out, archive);
        try {
            return out.toUri() + "@sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
