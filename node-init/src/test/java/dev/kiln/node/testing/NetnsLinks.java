package dev.kiln.node.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Machines on their own network links: one network namespace per node, each with a veth into a bridge, all on one
 * 127.x /24 (route_localnet lets 127.x addresses leave the loopback device). Cutting a node's link is a real network
 * partition; the test JVM reaches every node through the bridge. Test support; needs root and iproute2.
 */
public final class NetnsLinks implements AutoCloseable {

    private final String subnet;
    private final String tag;
    private final List<Integer> nodes = new ArrayList<>();

    /** {@code subnet} like "127.0.62"; {@code tag} a short name part for links and namespaces, like "62". */
    private NetnsLinks(String subnet, String tag) {
        this.subnet = subnet;
        this.tag = tag;
    }

    /** Creates the bridge and one namespace per node, or says why it cannot. */
    public static NetnsLinks create(String subnet, String tag, int count) throws IOException {
        NetnsLinks links = new NetnsLinks(subnet, tag);
        links.close();
        links.run("ip", "link", "add", links.bridge(), "type", "bridge");
        links.run("ip", "addr", "add", subnet + ".254/32", "dev", links.bridge());
        links.run("ip", "link", "set", links.bridge(), "up");
        links.run("sysctl", "-qw", "net.ipv4.conf." + links.bridge() + ".route_localnet=1");
        // More specific than the local 127.0.0.0/8 route, so this /24 leaves through the bridge.
        links.run("ip", "route", "add", subnet + ".0/24", "dev", links.bridge(), "table", "local", "src",
                subnet + ".254");
        for (int i = 1; i <= count; i++) {
            String ns = links.netns(i);
            links.run("ip", "netns", "add", ns);
            links.nodes.add(i);
            links.run("ip", "link", "add", links.hostLink(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
            links.run("ip", "link", "set", links.hostLink(i), "master", links.bridge(), "up");
            links.run("sysctl", "-qw", "net.ipv4.conf." + links.hostLink(i) + ".route_localnet=1");
            // Loopback must be up for a node to reach its own address, but without 127/8 so peers are not "local".
            links.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            links.run("ip", "netns", "exec", ns, "ip", "route", "del", "127.0.0.0/8", "dev", "lo", "table", "local");
            links.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1");
            links.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.conf.eth0.route_localnet=1");
            links.run("ip", "netns", "exec", ns, "ip", "addr", "add", subnet + "." + i + "/24", "dev", "eth0");
            links.run("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
        }
        return links;
    }

    public String netns(int index) {
        return "kn" + tag + "-" + index;
    }

    private String bridge() {
        return "kb" + tag;
    }

    private String hostLink(int index) {
        return "kv" + tag + "-" + index;
    }

    /** Takes node {@code index}'s link down: nothing reaches it and it reaches nothing. */
    public void cut(int index) throws IOException {
        run("ip", "link", "set", hostLink(index), "down");
    }

    public void heal(int index) throws IOException {
        run("ip", "link", "set", hostLink(index), "up");
    }

    /** Removes namespaces, links, the bridge and its route; quiet about what is already gone. */
    @Override
    public void close() {
        for (int i = 1; i <= Math.max(9, nodes.size()); i++) {
            quietly("ip", "netns", "del", netns(i));
            quietly("ip", "link", "del", hostLink(i));
        }
        quietly("ip", "route", "del", subnet + ".0/24", "dev", bridge(), "table", "local");
        quietly("ip", "link", "del", bridge());
    }

    private void run(String... command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private void quietly(String... command) {
        try {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException | InterruptedException e) {
            // Cleanup of something that was never made.
        }
    }
}
