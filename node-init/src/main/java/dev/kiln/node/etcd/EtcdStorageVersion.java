package dev.kiln.node.etcd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storage version a member reports in {@code EtcdMemberStatus.storage_version}. etcd only reports one from 3.6
 * on (and jetcd 0.8.7 does not expose it); before that the data format follows the server's minor version, so it is
 * the server version's major.minor.0, as Talos answers for those releases.
 */
public final class EtcdStorageVersion {

    static final String UNKNOWN = "unknown";
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+.*");

    private EtcdStorageVersion() {
    }

    /** From the server version etcd's status reports, e.g. "3.4.23" gives "3.4.0"; "unknown" when it is no version. */
    public static String fromServerVersion(String serverVersion) {
        Matcher version = MAJOR_MINOR.matcher(serverVersion == null ? "" : serverVersion);
        return version.matches() ? version.group(1) + "." + version.group(2) + ".0" : UNKNOWN;
    }
}
