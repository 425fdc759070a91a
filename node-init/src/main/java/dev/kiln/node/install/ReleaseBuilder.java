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
 * Builds a release archive from a node-init jar: {@code ReleaseBuilder JAR VERSION OUT [RUNTIME CLASSLIST]}. The jar's
 * version resource is set to VERSION; with a runtime (a jlink image) and a class list it is a format-2 release. Prints
 * the {@code file://…@sha256:…} reference of OUT.
 */
public final class ReleaseBuilder {

    private ReleaseBuilder() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 && args.length != 5) {
            System.err.println("usage: ReleaseBuilder JAR VERSION OUT [RUNTIME CLASSLIST]");
            System.exit(2);
        }
        Path out = Path.of(args[2]).toAbsolutePath();
        try {
            System.out.println(args.length == 3 ? build(Path.of(args[0]), args[1], out)
                    : build(Path.of(args[0]), args[1], out, Path.of(args[3]), Path.of(args[4])));
        } catch (IllegalArgumentException e) {
            System.err.println("release: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Writes the release to {@code out} and returns its reference. */
    public static String build(Path jar, String version, Path out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReleaseArchive.write(bytes, version, ReleaseArchive.withVersion(Files.readAllBytes(jar), version));
        return save(bytes.toByteArray(), out);
    }

    /** Writes a format-2 release (with {@code runtime} and {@code classList}) to {@code out}; returns its reference. */
    public static String build(Path jar, String version, Path out, Path runtime, Path classList) throws IOException {
        if (!Files.isRegularFile(classList)) {
            throw new IllegalArgumentException("class list: no such file: " + classList);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReleaseArchive.write(bytes, version, ReleaseArchive.withVersion(Files.readAllBytes(jar), version),
                Files.readAllBytes(classList), runtime);
        return save(bytes.toByteArray(), out);
    }

    private static String save(byte[] archive, Path out) throws IOException {
        Files.write(out, archive);
        try {
            return out.toUri() + "@sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
