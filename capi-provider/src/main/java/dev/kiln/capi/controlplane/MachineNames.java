package dev.kiln.capi.controlplane;

import dev.kiln.machinery.text.Sha256;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The name of the next control-plane machine, derived from what the pass read: the KilnControlPlane's uid and
 * resourceVersion and the names of all its Machines. Two operator instances that read the same state pick the same
 * name, so only one create succeeds and the other gets a conflict instead of a surplus machine. Each pass writes the
 * KilnControlPlane's status after creating, so a later read never repeats the name of a machine deleted meanwhile.
 */
final class MachineNames {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int SUFFIX_LENGTH = 5;

    private MachineNames() {
    }

    /** {@code <controlPlane>-<5 of [a-z0-9]>}, never one of {@code existing}. */
    static String next(String controlPlane, String controlPlaneUid, String resourceVersion,
            Collection<String> existing) {
        Set<String> sorted = new TreeSet<>(existing);
        StringBuilder seen = new StringBuilder().append(controlPlaneUid).append('\n').append(resourceVersion);
        sorted.forEach(name -> seen.append('\n').append(name));
        for (int attempt = 0; ; attempt++) {
            String name = controlPlane + "-" + suffix(seen + "\n#" + attempt);
            if (!sorted.contains(name)) {
                return name;
            }
        }
    }

    private static String suffix(String seed) {
        byte[] digest = Sha256.of(seed);
        StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
        for (int i = 0; i < SUFFIX_LENGTH; i++) {
            suffix.append(ALPHABET.charAt(Byte.toUnsignedInt(digest[i]) % ALPHABET.length()));
        }
        return suffix.toString();
    }
}
