package dev.kiln.capi.api.common;

/**
 * CEL spellings, for the CRDs' {@code x-kubernetes-validations}, of the host and port rules that
 * {@code dev.kiln.machinery.config.NetworkNames} and {@code dev.kiln.capi.cluster.KilnServerAddress} apply in Java.
 * Only standard CEL ({@code matches}, RE2 syntax) is used, so the rules run the same on the API server and in tests.
 */
public final class HostRules {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|[01]?[0-9]?[0-9])";
    private static final String IPV4 = "(" + OCTET + "[.]){3}" + OCTET;
    private static final String H16 = "[0-9a-fA-F]{1,4}";
    private static final String LS32 = "(" + H16 + ":" + H16 + "|" + IPV4 + ")";
    // RFC 3986's IPv6address, one alternative per position of "::".
    private static final String IPV6 = "((" + H16 + ":){6}" + LS32
            + "|::(" + H16 + ":){5}" + LS32
            + "|(" + H16 + ")?::(" + H16 + ":){4}" + LS32
            + "|((" + H16 + ":){0,1}" + H16 + ")?::(" + H16 + ":){3}" + LS32
            + "|((" + H16 + ":){0,2}" + H16 + ")?::(" + H16 + ":){2}" + LS32
            + "|((" + H16 + ":){0,3}" + H16 + ")?::" + H16 + ":" + LS32
            + "|((" + H16 + ":){0,4}" + H16 + ")?::" + LS32
            + "|((" + H16 + ":){0,5}" + H16 + ")?::" + H16
            + "|((" + H16 + ":){0,6}" + H16 + ")?::)";
    private static final String DNS_LABEL = "[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?";
    private static final String DNS_NAME = DNS_LABEL + "([.]" + DNS_LABEL + ")*";
    private static final String PORT = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
    // A name whose last label is all digits could be a malformed IPv4 address, so NetworkNames refuses it.
    private static final String DIGITS_LAST_LABEL = "(^|[.])[0-9]+";

    /** {@code self} is an IP literal (no brackets) or an RFC 1123 DNS name of at most 253 characters. */
    public static final String HOST = "self.matches(r'^(" + IPV4 + "|" + IPV6 + ")$')"
            + " || (self.matches(r'^" + DNS_NAME + "$') && !self.matches(r'" + DIGITS_LAST_LABEL + "$')"
            + " && size(self) <= 253)";

    /** {@code self} is host[:port]: an IP literal ([...] for IPv6) or RFC 1123 DNS name, the port 1-65535. */
    public static final String HOST_PORT = "self.matches(r'^(\\[" + IPV6 + "\\]|" + IPV4 + ")(:" + PORT + ")?$')"
            + " || (self.matches(r'^" + DNS_NAME + "(:" + PORT + ")?$')"
            + " && !self.matches(r'" + DIGITS_LAST_LABEL + "(:[0-9]+)?$') && !self.matches(r'^[^:]{254}'))";

    private HostRules() {
    }
}
