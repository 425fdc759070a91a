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
 * The node-init release format, two versions told apart by their entries. Format 1: exactly {@value #VERSION_ENTRY}
 * (the version, one line) then {@value #JAR_ENTRY} (an executable jar), both stored uncompressed. Format 2: the same
 * two, then {@value #CLASS_LIST_ENTRY} (the classes node-init loads, for its class archive) and a Java runtime under
 * {@value #RUNTIME_DIR}, one entry per file in name order, deflated. Every entry has a fixed timestamp, so the same
 * inputs always give the same bytes and the same digest.
 */
public final class ReleaseArchive {

    public static final String VERSION_ENTRY = "VERSION";
    public static final String JAR_ENTRY = "node-init.jar";
    public static final String CLASS_LIST_ENTRY = "node-init.classlist";
    public static final String RUNTIME_DIR = "runtime/";
    /** Files of a format-2 runtime that must be there for it to launch node-init. */
    public static final List<String> RUNTIME_REQUIRED = List.of("runtime/bin/java", "runtime/lib/modules");
    private static final Pattern RUNTIME_NAME = Pattern.compile("runtime(/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)+");
    /** The version resource node-init reports as its running version. */
    public static final String VERSION_RESOURCE = "dev/kiln/node/VERSION";
    // Zip stores local time: the same wall-clock time in every zone keeps the bytes the same everywhere.
    private static final long FIXED_TIME = java.time.LocalDateTime.of(2000, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    /** What a valid archive holds; {@code runtime} is empty in format 1. */
    public record Contents(String version, Path jar, java.util.Optional<Path> runtime) {
        public Contents(String version, Path jar) {
            this(version, jar, java.util.Optional.empty());
        }
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
     * Writes a format-2 release: the jar, its class list and the runtime in {@code runtime} (a jlink image). Files are
     * read through symbolic links; the archive records no file modes (see {@link #isExecutable}).
     */
    public static void write(OutputStream out, String version, byte[] jar, byte[] classList, Path runtime)
            throws IOException {
        requireVersion(version);
        List<Path> files;
        try (var walk = Files.walk(runtime, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        java.util.TreeMap<String, Path> byName = new java.util.TreeMap<>();
        for (Path file : files) {
            String name = RUNTIME_DIR + runtime.relativize(file).toString().replace('\\', '/');
            if (!RUNTIME_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("runtime: file name not allowed in a release: " + name);
            }
            byName.put(name, file);
        }
        for (String required : RUNTIME_REQUIRED) {
            if (!byName.containsKey(required)) {
                throw new IllegalArgumentException("runtime: " + required + " is missing in " + runtime);
            }
        }
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            stored(zip, VERSION_ENTRY, (version + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, JAR_ENTRY, jar);
            deflated(zip, CLASS_LIST_ENTRY, classList);
            for (var entry : byName.entrySet()) {
                deflated(zip, entry.getKey(), Files.readAllBytes(entry.getValue()));
            }
        }
    }

    /** Whether an unpacked runtime file must be executable: the launchers and the process spawn helper. */
    public static boolean isExecutable(String entryName) {
        return entryName.startsWith(RUNTIME_DIR + "bin/") || entryName.equals(RUNTIME_DIR + "lib/jspawnhelper");
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
     * Checks that {@code archive} is a release of either format: the entries in order, a valid version, and a jar whose
     * manifest names a Main-Class. The jar is extracted to {@code jarOut}; a runtime is checked, not extracted.
     */
    public static Contents read(Path archive, Path jarOut) throws InvalidRelease {
        return open(archive, jarOut, null);
    }

    /**
     * As {@link #read}, and also extracts a format-2 release's class list and runtime into {@code dir}, next to the
     * jar ({@code dir/}{@value #JAR_ENTRY}), making the launchers executable.
     */
    public static Contents unpack(Path archive, Path dir) throws InvalidRelease {
        return open(archive, dir.resolve(JAR_ENTRY), dir);
    }

    private static Contents open(Path archive, Path jarOut, Path dir) throws InvalidRelease {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(entry -> names.add(entry.getName()));
            boolean withRuntime = requireLayout(names);
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
            if (!withRuntime || dir == null) {
                return new Contents(version, jarOut);
            }
            for (String name : names.subList(2, names.size())) {
                Path target = dir.resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(zip.getEntry(name))) {
                    Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                if (isExecutable(name)) {
                    target.toFile().setExecutable(true, false);
                }
            }
            return new Contents(version, jarOut, java.util.Optional.of(dir.resolve(RUNTIME_DIR)));
        } catch (java.util.zip.ZipException e) {
            throw new InvalidRelease("not a zip archive: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidRelease("reading the archive: " + e.getMessage());
        }
    }

    /** Returns whether the entries are format 2's; refuses any other layout, naming what it found. */
    private static boolean requireLayout(List<String> names) throws InvalidRelease {
        if (names.equals(List.of(VERSION_ENTRY, JAR_ENTRY))) {
            return false;
        }
        if (names.size() < 3 || !names.subList(0, 3).equals(List.of(VERSION_ENTRY, JAR_ENTRY, CLASS_LIST_ENTRY))) {
            throw new InvalidRelease("expected entries [" + VERSION_ENTRY + ", " + JAR_ENTRY + "] or [" + VERSION_ENTRY
                    + ", " + JAR_ENTRY + ", " + CLASS_LIST_ENTRY + ", " + RUNTIME_DIR + "...], found "
                    + (names.size() > 8 ? names.subList(0, 8) + "..." : names));
        }
        List<String> runtime = names.subList(3, names.size());
        String previous = "";
        for (String name : runtime) {
            if (!RUNTIME_NAME.matcher(name).matches()) {
                throw new InvalidRelease("entry " + name + ": not a runtime file name (expected " + RUNTIME_DIR + "...)");
            }
            if (name.compareTo(previous) <= 0) {
                throw new InvalidRelease("entry " + name + ": runtime entries must be in name order, once each");
            }
            previous = name;
        }
        for (String required : RUNTIME_REQUIRED) {
            if (!runtime.contains(required)) {
                throw new InvalidRelease(required + ": missing from the release's runtime");
            }
        }
        return true;
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
