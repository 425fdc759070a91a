package dev.kiln.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.node.boot.NodeSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeCommandLineTest {

    @Test
    void optionsTakeTheirValueAsTheNextArgumentOrAfterAnEqualsSign() {
        NodeSettings settings = run("--root", "/var/kiln", "--listen=10.0.0.5:50000", "--hostname", "cp-1",
                "--etcd=/opt/etcd", "--etcdctl", "/opt/etcdctl", "--download-ca=/etc/ca.pem");

        assertEquals(new NodeSettings(Path.of("/var/kiln"), "10.0.0.5", 50000, Optional.of("cp-1"), "/opt/etcd",
                "/opt/etcdctl", Optional.of(Path.of("/etc/ca.pem"))), settings);
    }

    @Test
    void leftOutOptionsTakeTheirDefaults() {
        NodeSettings settings = run("--root", "/r", "--listen", "127.0.45.1:50000");

        assertEquals(Optional.empty(), settings.hostname());
        assertEquals("/usr/bin/etcd", settings.etcdBinary());
        assertEquals("/usr/bin/etcdctl", settings.etcdctlBinary());
        assertEquals(Optional.empty(), settings.downloadCa());
    }

    @Test
    void anIpv6ListenAddressSplitsAtItsLastColon() {
        NodeSettings settings = run("--root", "/r", "--listen", "::1:50000");

        assertEquals("::1", settings.address());
        assertEquals(50000, settings.port());
    }

    @Test
    void helpIsAskedForWithEitherName() {
        assertInstanceOf(NodeCommandLine.Help.class, NodeCommandLine.parse("-h"));
        assertInstanceOf(NodeCommandLine.Help.class, NodeCommandLine.parse("--root", "/r", "--help"));
    }

    @Test
    void wrongArgumentsAreRefusedNamingTheOption() {
        assertEquals("--root is required", refusal("--listen", "127.0.45.1:1"));
        assertEquals("--listen is required", refusal("--root", "/r"));
        assertEquals("--listen 127.0.45.1: expected ADDR:PORT", refusal("--root", "/r", "--listen", "127.0.45.1"));
        assertEquals("--listen 127.0.45.1:x: the port is not a number",
                refusal("--root", "/r", "--listen", "127.0.45.1:x"));
        assertEquals("--listen 127.0.45.1:70000: the port is not in 1..65535",
                refusal("--root", "/r", "--listen", "127.0.45.1:70000"));
        assertEquals("unknown option --rot", refusal("--rot", "/r"));
        assertEquals("--etcd needs a value", refusal("--root", "/r", "--listen", "127.0.45.1:1", "--etcd"));
        assertEquals("--root given twice", refusal("--root", "/r", "--root=/s", "--listen", "127.0.45.1:1"));
    }

    private static NodeSettings run(String... args) {
        return assertInstanceOf(NodeCommandLine.Run.class, NodeCommandLine.parse(args)).settings();
    }

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> NodeCommandLine.parse(args)).getMessage();
    }
}
