package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bootstrap founds a cluster once; every other node that asks is turned down with a reason it can act on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootstrapRefusalTest {

    private TestCluster cluster;
    private List<NodeProcess> controlPlane;
    private NodeProcess worker;
    private long clusterId;

    @BeforeAll
    void formClusterWithAWorker(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.22", work);
        worker = cluster.startNode(4);
        cluster.configure(worker, cluster.config(MachineType.WORKER, cluster.etcdPeers(3)));
        controlPlane = cluster.formControlPlane(3);
        try (MachineClient first = cluster.admin(controlPlane.get(0))) {
            clusterId = first.etcdStatus().getClusterId();
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void secondBootstrapOnTheBootstrappedNodeIsAlreadyExistsAndChangesNothing() throws Exception {
        try (MachineClient first = cluster.admin(controlPlane.get(0))) {
            long memberId = first.etcdStatus().getMemberId();
            int members = first.etcdMemberList(false).getMembersCount();

            MachineApiException refused = assertThrows(MachineApiException.class, () -> first.bootstrap(false, false));

            assertEquals(Status.Code.ALREADY_EXISTS, refused.code(), refused.getMessage());
            assertEquals(clusterId, first.etcdStatus().getClusterId());
            assertEquals(memberId, first.etcdStatus().getMemberId());
            assertEquals(members, first.etcdMemberList(false).getMembersCount());
        }
    }

    @Test
    void bootstrapOnAJoinedNodeIsAlreadyExists() throws Exception {
        try (MachineClient joined = cluster.admin(controlPlane.get(1))) {
            MachineApiException refused = assertThrows(MachineApiException.class, () -> joined.bootstrap(false, false));

            assertEquals(Status.Code.ALREADY_EXISTS, refused.code(), refused.getMessage());
            assertEquals(clusterId, joined.etcdStatus().getClusterId());
        }
    }

    /**
     * A configured control-plane node that reaches a serving peer joins it within a second, so "not a member while
     * the cluster exists" is held deterministically by a node that left: the same peer guard runs for both.
     */
    @Test
    void bootstrapOnAControlPlaneNodeOutsideTheClusterIsRefusedByThePeerGuardNamingThePeer() throws Exception {
        NodeProcess outsider = controlPlane.get(2);
        try (MachineClient client = cluster.admin(outsider)) {
            client.etcdLeaveCluster();

            MachineApiException refused = assertThrows(MachineApiException.class, () -> client.bootstrap(false, false));

            assertEquals(Status.Code.ALREADY_EXISTS, refused.code(), refused.getMessage());
            String description = refused.status().getDescription();
            assertTrue(description.contains("control-plane peer " + cluster.etcdPeers(1).get(0))
                    && description.contains(Long.toHexString(clusterId)), description);
        }
        try (Stream<Path> data = Files.list(outsider.root().resolve("EPHEMERAL").resolve("etcd"))) {
            assertEquals(0, data.count(), "the refused bootstrap left etcd data behind");
        }
    }

    @Test
    void bootstrapOnAWorkerIsUnimplemented() throws Exception {
        try (MachineClient client = cluster.admin(worker)) {
            MachineApiException refused = assertThrows(MachineApiException.class, () -> client.bootstrap(false, false));

            assertEquals(Status.Code.UNIMPLEMENTED, refused.code(), refused.getMessage());
        }
    }
}
