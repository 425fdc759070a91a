package dev.kiln.capi.infrastructure;

/** The parts of a KilnServer's machine API address ({@code host:port}) that other endpoints are built from. */
final class ServerAddress {

    static final int ETCD_CLIENT_PORT = 2379;

    private ServerAddress() {
    }

    /** The host without port or brackets: {@code 10.0.0.1:50000} → {@code 10.0.0.1}, {@code [fd00::1]:50000} → {@code fd00::1}. */
    static String host(String address) {
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            return close > 0 ? address.substring(1, close) : address;
        }
        int colon = address.indexOf(':');
        // More than one colon without brackets is a bare IPv6 address, which carries no port.
        return colon > 0 && colon == address.lastIndexOf(':') ? address.substring(0, colon) : address;
    }

    static String etcdClientUrl(String address) {
        String host = host(address);
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + ETCD_CLIENT_PORT;
    }
}
