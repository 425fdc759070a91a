package dev.kiln.machinery.config;

import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * What may name a host in a config or in a certificate: an IP literal or an RFC 1123 DNS name. The same rules decide
 * what the node puts in its certificates, so a name accepted here can always be issued.
 */
public final class NetworkNames {

    public static final String SAN_MESSAGE =
            "must be an IP address or an RFC 1123 DNS name (letters, digits, '-' and '.'; optionally starting with '*.')";
    public static final String HOST_MESSAGE = "must be an IP address or an RFC 1123 DNS name";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ALL_DIGITS = Pattern.compile("[0-9]+");
    private static final int MAX_NAME_LENGTH = 253;

    private NetworkNames() {
    }

    /** An IPv4 or IPv6 literal as certificates hold them: no brackets, zone or prefix length. */
    public static boolean isIpLiteral(String value) {
        return value != null && IPAddress.isValid(value);
    }

    /**
     * An RFC 1123 DNS name of at most 253 characters. The last label is not all digits, so that no name can be
     * mistaken for a malformed IPv4 address.
     */
    public static boolean isDnsName(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
            return false;
        }
        String[] labels = value.toLowerCase(Locale.ROOT).split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !ALL_DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** An IP literal, a DNS name, or a DNS name under a leading wildcard label ({@code *.example.com}). */
    public static boolean isSubjectAltName(String value) {
        if (isIpLiteral(value)) {
            return true;
        }
        if (value != null && value.startsWith("*.")) {
            String rest = value.substring(2);
            return rest.contains(".") && isDnsName(rest);
        }
        return isDnsName(value);
    }

    /** A host as a URL or {@code host:port} holds it: a DNS name, an IPv4 literal, or an IPv6 literal in brackets. */
    public static boolean isUrlHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            String inner = host.substring(1, host.length() - 1);
            return inner.contains(":") && isIpLiteral(inner);
        }
        return !host.contains(":") && (isIpLiteral(host) || isDnsName(host));
    }
}
