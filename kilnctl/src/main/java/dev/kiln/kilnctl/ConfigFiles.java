package dev.kiln.kilnctl;

import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.yaml.StrictUtf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads config and secrets files: bounded in size before reading, strict UTF-8, errors naming the file. */
public final class ConfigFiles {

    private ConfigFiles() {
    }

    /** The file's bytes, refused before reading when larger than {@link ConfigParser#MAX_CONFIG_BYTES}. */
    public static byte[] readBytes(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        long size = Files.size(file);
        if (size > ConfigParser.MAX_CONFIG_BYTES) {
            throw new IllegalArgumentException(file + ": " + size + " bytes, larger than " + ConfigParser.MAX_CONFIG_BYTES
                    + " (1 MiB), the limit for a config");
        }
        return Files.readAllBytes(file);
    }

    /** The file as text; anything but UTF-8 is refused with the offset of the first bad byte. */
    public static String readText(Path file) throws IOException {
        return decode(file, readBytes(file));
    }

    /** {@code bytes} as UTF-8 text; an error names {@code file} and the offset of the first byte that is not UTF-8. */
    public static String decode(Path file, byte[] bytes) {
        return StrictUtf8.decode(bytes, file.toString());
    }
}
