package dev.kiln.capi.cluster;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.config.NetworkNames;
import java.util.Optional;

/**
 * The rule for {@code KilnServer.spec.address}: {@code host[:port]}, the host an IP literal (IPv6 in brackets) or an
 * RFC 1123 DNS name, the port 1-65535 (default 50000, as for kilnctl). A server whose address breaks it is never
 * claimed and never dialed.
 */
public final class KilnServerAddress {

    public static final String MESSAGE = "must be host or host:port with an IP address ([...] for IPv6) or an RFC 1123 "
            + "DNS name and a port from 1 to 65535";
    private static final int MAX_LENGTH = 260;
    private static final int ETCD_CLIENT_PORT = 2379;

    private KilnServerAddress() {
    }

    /** What is wrong with {@code address}, as {@code spec.address: ...}, or empty when it is well formed. */
    public static Optional<String> problem(String address) {
        return isValid(address) ? Optional.empty() : Optional.of("spec.address: " + MESSAGE);
    }

    /** What is wrong with the server's address, naming the server, or empty when it may be dialed. */
    public static Optional<String> problem(KilnServer server) {
        String address = server.getSpec() == null ? null : server.getSpec().getAddress();
        return problem(address).map(p -> "KilnServer " + server.getMetadata().getName() + " " + p);
    }

    /** The etcd client URL of the node at {@code address}: its host, IPv6 in brackets, on etcd's client port. */
    public static String etcdClientUrl(String address) {
        String host = NodeAddress.parse(address).host();
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ETCD_CLIENT_PORT;
    }

    public static boolean isValid(String address) {
        if (address == null || address.isEmpty() || address.length() > MAX_LENGTH) {
            return false;
        }
        int colon = address.lastIndexOf(':');
        boolean portless = colon < 0 || address.endsWith("]");
        if (portless) {
            return NetworkNames.isUrlHost(address);
        }
        if (colon == 0) {
            return false;
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        return NetworkNames.isUrlHost(host) && isPort(port);
    }

    private static boolean isPort(String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                || port.charAt(0) == '0') {
            return false;
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535;
    }
}
