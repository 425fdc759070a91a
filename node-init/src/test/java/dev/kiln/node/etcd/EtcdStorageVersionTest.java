package dev.kiln.node.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EtcdStorageVersionTest {

    @Test
    void aPatchReleaseStoresInItsMinorVersionsFormat() {
        assertEquals("3.4.0", EtcdStorageVersion.fromServerVersion("3.4.23"));
    }

    @Test
    void aPreReleaseSuffixIsIgnored() {
        assertEquals("3.5.0", EtcdStorageVersion.fromServerVersion("3.5.0-rc.1"));
    }

    @Test
    void somethingThatIsNoVersionGivesUnknown() {
        assertEquals("unknown", EtcdStorageVersion.fromServerVersion("not-a-version"));
        assertEquals("unknown", EtcdStorageVersion.fromServerVersion(""));
    }
}
