package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl (hack/kubectl, pinned v1.33.9) against the management API stand-in, as a user of the local
 * environment runs it: apply the examples, list, and scale through the scale subresource.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlAgainstManagementApiTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private ManagementApi api;
    private Path kubeconfig;

    @BeforeAll
    void startManagementApi(@TempDir Path dir) {
        System.setProperty("kiln.crds.dir", REPO.resolve("crds").toString());
        api = ManagementApi.start(0);
        kubeconfig = api.writeUserKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    void stopManagementApi() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void applyCreatesEveryExampleObject() {
        String out = kubectl("apply", "-f", REPO.resolve("examples").toString());

        assertTrue(out.contains("cluster.cluster.x-k8s.io/demo created"), out);
        assertTrue(out.contains("kilncontrolplane.controlplane.cluster.x-k8s.io/demo created"), out);
        assertTrue(out.contains("machinedeployment.cluster.x-k8s.io/demo-workers created"), out);
        assertTrue(api.client().resources(Cluster.class).inNamespace("default").withName("demo").get() != null);
        assertEquals(3, controlPlane().getSpec().getReplicas());
    }

    @Test
    @Order(2)
    void applyingTheSameFilesAgainChangesNothing() {
        String out = kubectl("apply", "-f", REPO.resolve("examples").toString());

        assertTrue(out.lines().allMatch(line -> line.endsWith(" unchanged")), out);
        assertTrue(out.contains("kilncontrolplane.controlplane.cluster.x-k8s.io/demo unchanged"), out);
    }

    @Test
    @Order(3)
    void getListsClustersMachinesAndControlPlanesByTheirResourceNames() {
        String out = kubectl("get", "clusters,machines,kilncontrolplanes");

        assertTrue(out.contains("cluster.cluster.x-k8s.io/demo"), out);
        assertTrue(out.contains("kilncontrolplane.controlplane.cluster.x-k8s.io/demo"), out);
    }

    @Test
    @Order(4)
    void scaleSetsKilnControlPlaneReplicasThroughTheScaleSubresource() {
        String out = kubectl("scale", "kilncontrolplane", "demo", "--replicas", "5");

        assertTrue(out.contains("scaled"), out);
        assertEquals(5, controlPlane().getSpec().getReplicas());
    }

    @Test
    @Order(5)
    void scaleSetsMachineDeploymentReplicasAndTheStandInMakesTheMachines() throws Exception {
        String out = kubectl("scale", "machinedeployment", "demo-workers", "--replicas", "3");

        assertTrue(out.contains("scaled"), out);
        assertEquals(3, api.client().resources(MachineDeployment.class).inNamespace("default")
                .withName("demo-workers").get().getSpec().getReplicas());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int workers = 0;
        while (System.nanoTime() < deadline && workers != 3) {
            workers = workerMachines().size();
            Thread.sleep(200);
        }
        assertEquals(3, workers, "worker Machines made by the Cluster API stand-in: " + workerMachines());
        assertTrue(kubectl("get", "machines").lines().count() >= 4, "a header and 3 machines");
    }

    private List<String> workerMachines() {
        return api.client().resources(Machine.class).inNamespace("default").list().getItems().stream()
                .filter(m -> !m.isControlPlane()).map(m -> m.getMetadata().getName()).toList();
    }

    private KilnControlPlane controlPlane() {
        return api.client().resources(KilnControlPlane.class).inNamespace("default").withName("demo").get();
    }

    private String kubectl(String... args) {
        List<String> command = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return HackScript.run("hack/kubectl", command.toArray(String[]::new));
    }
}
