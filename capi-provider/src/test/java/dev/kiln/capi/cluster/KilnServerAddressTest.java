package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KilnServerAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:50000", "node-1.example.com:50000", "localhost:1", "[fd00::1]:50000",
            "[::1]:65535", "NODE.example.com:50000", "10.0.0.1", "rack1-node3", "[fd00::1]"})
    void acceptsHostWithOrWithoutPort(String address) {
        assertTrue(KilnServerAddress.isValid(address), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:050000",
            "10.0.0.1:5e4", "1.2.3.4.5:50000", "fd00::1:50000", "fd00::1", "[10.0.0.1]:50000", "[fd00::1]x", "evil host:1",
            "node_1:50000", "user@node:50000", "http://node:50000", "node:50000/x", ":50000", "node:-1",
            "[fe80::1%eth0]:50000", "10.0.0.1:50000\n"})
    void refusesAnythingElse(String address) {
        assertFalse(KilnServerAddress.isValid(address), address);
        assertEquals(Optional.of("spec.address: " + KilnServerAddress.MESSAGE), KilnServerAddress.problem(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a"})
    void refusesAnAbsentAddress(String unused) {
        assertEquals(Optional.of("spec.address: " + KilnServerAddress.MESSAGE), KilnServerAddress.problem((String) null));
    }
}
