package dev.kiln.node.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What Version reports: the running build, the version in the active slot once installed, whether that slot is still
 * on trial after an upgrade, and the last rollback (null when none).
 */
public record VersionInfo(String running, String installed, String activeSlot, boolean maintenance, boolean trial,
        String lastRollback) {

    /** The version of this build, from the {@code dev/kiln/node/VERSION} resource a release sets. */
    public static final String RUNNING = readRunning();

    public String tag() {
        return installed == null ? running : installed;
    }

    private static String readRunning() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("/dev/kiln/node/VERSION")) {
            return in == null ? "v0.0.0-unknown" : new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "v0.0.0-unknown";
        }
    }
}
