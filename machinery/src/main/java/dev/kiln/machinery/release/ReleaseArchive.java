package dev.kiln.machinery.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The node-init release format: a zip holding exactly {@value #VERSION_ENTRY} (the version, one line) then
 * {@value #JAR_ENTRY} (an executable jar), both stored uncompressed with a fixed timestamp, so the same jar and
 * version always give the same bytes and the same digest.
 */
public final class ReleaseArchive {

    public static final String VERSION_ENTRY = "VERSION";
    public static final String JAR_ENTRY = "node-init.jar";
    /** The version resource node-init reports as its running version. */
    public static final String VERSION_RESOURCE = "dev/kiln/node/VERSION";
    // Zip stores local time: the same wall-clock time in every zone keeps the bytes the same everywhere.
    private static final long FIXED_TIME = java.time.LocalDateTime.of(2000, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    /** What a valid archive holds. */
    public record Contents(String version, Path jar) {
    }

    private ReleaseArchive() {
    }

    public static void write(OutputStream out, String version, byte[] jar) throws IOException {
        requireVersion(version);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            stored(zip, VERSION_ENTRY, (version + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, JAR_ENTRY, jar);
        }
    }

    /**
     * The jar with its version resource set to {@code version}; other entries keep their order and content, every
     * timestamp is fixed.
     */
    public static byte[] withVersion(byte[] jar, String version) throws IOException {
        requireVersion(version);
        ByteArrayOutputStream out = new ByteArrayOutputStream(jar.length + 1024);
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(jar));
                ZipOutputStream zip = new ZipOutputStream(out)) {
            boolean replaced = false;
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] data = entry.getName().equals(VERSION_RESOURCE)
                        ? (version + "\n").getBytes(StandardCharsets.US_ASCII) : in.readAllBytes();
                replaced |= entry.getName().equals(VERSION_RESOURCE);
                deflated(zip, entry.getName(), data);
            }
            if (!replaced) {
                deflated(zip, VERSION_RESOURCE, (version + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /**
     * Checks that {@code archive} is a release: exactly the two entries in order, a valid version, and a jar whose
     * manifest names a Main-Class. The jar is extracted to {@code jarOut}.
     */
    public static Contents read(Path archive, Path jarOut) throws InvalidRelease {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(entry -> names.add(entry.getName()));
            if (!names.equals(List.of(VERSION_ENTRY, JAR_ENTRY))) {
                throw new InvalidRelease("expected entries [" + VERSION_ENTRY + ", " + JAR_ENTRY + "], found " + names);
            }
            String version;
            try (InputStream in = zip.getInputStream(zip.getEntry(VERSION_ENTRY))) {
                version = new String(in.readNBytes(256), StandardCharsets.US_ASCII).strip();
            }
            if (!VERSION.matcher(version).matches()) {
                throw new InvalidRelease(VERSION_ENTRY + ": not a version: '" + version + "'");
            }
            try (InputStream in = zip.getInputStream(zip.getEntry(JAR_ENTRY))) {
                Files.copy(in, jarOut, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            requireExecutableJar(jarOut);
            return new Contents(version, jarOut);
        } catch (java.util.zip.ZipException e) {
            throw new InvalidRelease("not a zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidRelease("reading the archive: " + e.getMessage());
        }
    }

    private static void requireExecutableJar(Path jar) throws InvalidRelease {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS) == null) {
                throw new InvalidRelease(JAR_ENTRY + ": no Main-Class in its manifest");
            }
        } catch (IOException e) {
            throw new InvalidRelease(JAR_ENTRY + ": not a jar: " + e.getMessage());
        }
    }

    private static void requireVersion(String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version: not a version: '" + version + "'");
        }
    }

    private static void deflated(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(FIXED_TIME);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        entry.setTime(FIXED_TIME);
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /** An archive that is not a node-init release. */
    public static final class InvalidRelease extends Exception {
        public InvalidRelease(String message) {
            super(message);
        }
    }
}
