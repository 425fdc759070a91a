package dev.kiln.node.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.machinery.config.ClusterSection;
import org.junit.jupiter.api.Test;

class EtcdClusterTokenTest {

    private static ClusterSection cluster(String name, String id) {
        return new ClusterSection(id, null, name, null, null, null, null, null, null);
    }

    @Test
    void aClusterMadeAgainUnderTheSameNameGetsAnotherToken() {
        assertNotEquals(EtcdClusterToken.of(cluster("demo", "aWQtb25l")), EtcdClusterToken.of(cluster("demo", "aWQtdHdv")));
    }

    @Test
    void theTokenIsTheSameOnEveryNodeOfOneCluster() {
        assertEquals(EtcdClusterToken.of(cluster("demo", "aWQtb25l")), EtcdClusterToken.of(cluster("demo", "aWQtb25l")));
    }

    @Test
    void theTokenNamesTheClusterAndAShortDigestOfItsId() {
        assertEquals("kiln-demo-", EtcdClusterToken.of(cluster("demo", "aWQtb25l")).substring(0, 10));
        assertEquals(10 + 16, EtcdClusterToken.of(cluster("demo", "aWQtb25l")).length());
    }

    @Test
    void aConfigWithoutAClusterIdKeepsTheNameOnlyToken() {
        assertEquals("kiln-demo", EtcdClusterToken.of(cluster("demo", null)));
    }

    @Test
    void aUrlSafeClusterIdAsTalosWroteItBeforeOneFourteenGivesAStableTokenFromItsTextAsWritten() {
        String urlSafe = "0raF93qnkMvF-FZNuvyGozXNdLiT2FOWSlyBaW4PR-w=";
        assertEquals(EtcdClusterToken.of(cluster("demo", urlSafe)), EtcdClusterToken.of(cluster("demo", urlSafe)));
        assertNotEquals(EtcdClusterToken.of(cluster("demo", urlSafe)),
                EtcdClusterToken.of(cluster("demo", urlSafe.replace('-', '+'))));
    }
}
