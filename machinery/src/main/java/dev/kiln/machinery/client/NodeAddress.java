package dev.kiln.machinery.client;

/** A node's machine API address; a bare host gets the default port, as talosctl does. */
public record NodeAddress(String host, int port) {

    public static final int DEFAULT_PORT = 50000;

    public NodeAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("node address: host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("node address " + host + ": port " + port + " out of range");
        }
    }

    public static NodeAddress parse(String text) {
        String value = text.trim();
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("node address " + text + ": unclosed IPv6 bracket");
            }
            String host = value.substring(1, close);
            String rest = value.substring(close + 1);
            return new NodeAddress(host, rest.startsWith(":") ? parsePort(text, rest.substring(1)) : DEFAULT_PORT);
        }
        int colon = value.lastIndexOf(':');
        if (colon < 0 || value.indexOf(':') != colon) {
            return new NodeAddress(value, DEFAULT_PORT);
        }
        return new NodeAddress(value.substring(0, colon), parsePort(text, value.substring(colon + 1)));
    }

    private static int parsePort(String text, String port) {
        try {
            return Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node address " + text + ": port is not a number");
        }
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
