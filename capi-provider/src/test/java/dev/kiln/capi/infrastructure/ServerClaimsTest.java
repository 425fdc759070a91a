package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.cluster.KilnLabels;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ServerClaimsTest {

    static final String FINGERPRINT = "1".repeat(64);

    KubernetesClient client;

    private MachineWorld world;
    private ServerClaims claims;
    private ExecutorService threads;

    @BeforeEach
    void setUp() {
        world = new MachineWorld(client);
        world.installCrds();
        claims = new ServerClaims(client);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    private ServerInventory live() {
        return ServerInventory.live(client);
    }

    private KilnMachine kilnMachine(String name) {
        KilnMachine machine = new KilnMachine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(MachineWorld.NAMESPACE)
                .withLabels(KilnLabels.forCluster(MachineWorld.CLUSTER)).build());
        machine.setSpec(new KilnMachineSpec());
        return client.resource(machine).create();
    }

    @Test
    void concurrentClaimAttemptsNeverShareAServer() throws Exception {
        for (int round = 0; round < 8; round++) {
            String server = "s" + round;
            world.freeServer(server, "10.0.1." + round + ":50000", FINGERPRINT);
            KilnMachine first = kilnMachine("a" + round);
            KilnMachine second = kilnMachine("b" + round);
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Optional<ServerClaims.Claim>>> attempts = new ArrayList<>();
            for (KilnMachine machine : List.of(first, second)) {
                attempts.add(threads.submit(() -> {
                    start.await();
                    return claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty());
                }));
            }
            Optional<ServerClaims.Claim> firstClaim = attempts.get(0).get();
            Optional<ServerClaims.Claim> secondClaim = attempts.get(1).get();

            assertTrue(firstClaim.isPresent() ^ secondClaim.isPresent(), "round " + round + ": exactly one claim");
            KilnMachine winner = firstClaim.isPresent() ? first : second;
            ServerClaims.Claim won = firstClaim.orElseGet(secondClaim::orElseThrow);
            assertEquals(server, won.serverName());
            assertEquals(winner.getMetadata().getUid(), client.configMaps().inNamespace(MachineWorld.NAMESPACE)
                    .withName(KilnLabels.serverClaimName(server)).get().getData().get(ClaimHolder.UID));
            assertEquals(winner.getMetadata().getUid(), world.server(server).getStatus().getMachineRef().getUid());
        }
    }

    /** A claim as the source management cluster left it: made by a machine of another uid. */
    private void claimMadeElsewhere(String server, Map<String, String> data) {
        client.configMaps().inNamespace(MachineWorld.NAMESPACE).resource(new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(KilnLabels.serverClaimName(server))
                    .withNamespace(MachineWorld.NAMESPACE)
                    .withLabels(KilnLabels.forCluster(MachineWorld.CLUSTER))
                .endMetadata()
                .withData(data)
                .build()).create();
    }

    private KilnMachine movedMachine(String name, String server) {
        KilnMachine machine = new KilnMachine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(MachineWorld.NAMESPACE)
                .withLabels(KilnLabels.forCluster(MachineWorld.CLUSTER)).build());
        machine.setSpec(new KilnMachineSpec());
        machine.getSpec().setProviderId(KilnMachineReconciler.PROVIDER_ID_PREFIX + server);
        return client.resource(machine).create();
    }

    @Test
    void aMovedMachineFindsItsClaimUnderItsNewUidAndTheServerIsShownHeldByIt() {
        world.server("s1", "10.0.0.1:50000", FINGERPRINT, Map.of(), false, false);
        claimMadeElsewhere("s1", Map.of("namespace", MachineWorld.NAMESPACE, "name", "m1",
                "cluster", MachineWorld.CLUSTER, "uid", "uid-on-the-source"));
        KilnMachine moved = movedMachine("m1", "s1");

        ServerClaims.Claim claim = claims.claim(live(), moved, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        assertEquals("s1", claim.serverName());
        assertFalse(claim.fresh());
        assertEquals(moved.getMetadata().getUid(), world.server("s1").getStatus().getMachineRef().getUid());
        assertEquals(Boolean.TRUE, world.server("s1").getStatus().getInUse());
    }

    @Test
    void aClaimWrittenBeforeTheClusterKeyIsFoundForAMovedMachineToo() {
        world.server("s1", "10.0.0.1:50000", FINGERPRINT, Map.of(), false, false);
        claimMadeElsewhere("s1", Map.of("namespace", MachineWorld.NAMESPACE, "name", "m1", "uid", "uid-on-the-source"));

        assertEquals("s1", claims.existing(live(), movedMachine("m1", "s1")).orElseThrow().serverName());
    }

    @Test
    void twoInstancesClaimingForOneMachineAtOnceLeaveItOneServer() throws Exception {
        for (int round = 0; round < 8; round++) {
            String low = "r" + round + "-a";
            String high = "r" + round + "-b";
            world.freeServer(low, "10.0.2." + round + ":50000", FINGERPRINT);
            world.freeServer(high, "10.0.3." + round + ":50000", FINGERPRINT);
            KilnMachine machine = kilnMachine("m" + round);
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Optional<ServerClaims.Claim>>> attempts = new ArrayList<>();
            for (ServerClaims instance : List.of(new ServerClaims(client), new ServerClaims(client))) {
                attempts.add(threads.submit(() -> {
                    start.await();
                    return claimAsAReconcileWould(instance, machine);
                }));
            }

            assertEquals(low, attempts.get(0).get().orElseThrow().serverName(), "round " + round);
            assertEquals(low, attempts.get(1).get().orElseThrow().serverName(), "round " + round);
            assertNull(client.configMaps().inNamespace(MachineWorld.NAMESPACE)
                    .withName(KilnLabels.serverClaimName(high)).get(), "round " + round + ": a second claim is left");
            assertFalse(Boolean.TRUE.equals(world.server(high).getStatus().getInUse()), "round " + round);
            // free both for the next round's servers to be the first in claim order
            claims.release(claims.existing(live(), machine).orElseThrow(), machine);
            client.resource(world.server(low)).delete();
            client.resource(world.server(high)).delete();
        }
    }

    /** Both instances may mark the kept server in use at once; the loser's reconcile fails and is run again. */
    private Optional<ServerClaims.Claim> claimAsAReconcileWould(ServerClaims instance, KilnMachine machine) {
        for (int attempt = 1; ; attempt++) {
            try {
                return instance.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** What another operator instance provisioning the same machine would have written first. */
    private void bindTo(KilnMachine machine, String server) {
        ServerBindings bindings = new ServerBindings(client);
        bindings.bind(machine, MachineWorld.CLUSTER, bindings.read(machine), server);
    }

    @Test
    void aMachineBoundByAnotherInstanceClaimsTheBoundServerNotItsOwnFirstChoice() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT);
        KilnMachine machine = kilnMachine("m1");
        bindTo(machine, "s2");

        ServerClaims.Claim claim = claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        assertEquals("s2", claim.serverName());
        assertNull(client.configMaps().inNamespace(MachineWorld.NAMESPACE)
                .withName(KilnLabels.serverClaimName("s1")).get(), "s1 claimed too");
    }

    @Test
    void aBindingWhoseServerAnotherMachineClaimedMovesToTheNextFreeServer() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT);
        KilnMachine other = kilnMachine("m0");
        KilnMachine machine = kilnMachine("m1");
        assertEquals("s1", claims.claim(live(), other, MachineWorld.CLUSTER, Optional.empty()).orElseThrow().serverName());
        bindTo(machine, "s1");

        ServerClaims.Claim claim = claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        assertEquals("s2", claim.serverName());
        assertEquals(Optional.of("s2"), new ServerBindings(client).read(machine).server());
    }

    @Test
    void aBindingToADeletedServerIsClearedAndAnotherServerClaimed() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        KilnMachine machine = kilnMachine("m1");
        bindTo(machine, "gone");

        ServerClaims.Claim claim = claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        assertEquals("s1", claim.serverName());
        assertNull(client.configMaps().inNamespace(MachineWorld.NAMESPACE)
                .withName(KilnLabels.serverClaimName("gone")).get(), "a claim on the deleted server");
    }

    @Test
    void twoBindingsFromOneReadingAgreeOnTheFirstWritten() {
        KilnMachine machine = kilnMachine("m1");
        ServerBindings first = new ServerBindings(client);
        ServerBindings second = new ServerBindings(client);
        ServerBindings.Binding readByBoth = first.read(machine);

        ServerBindings.Binding won = first.bind(machine, MachineWorld.CLUSTER, readByBoth, "s1");
        ServerBindings.Binding lost = second.bind(machine, MachineWorld.CLUSTER, readByBoth, "s2");
        ServerBindings.Binding clearedLate = second.clear(machine, MachineWorld.CLUSTER, readByBoth);

        assertEquals(Optional.of("s1"), won.server());
        assertEquals(Optional.of("s1"), lost.server());
        assertEquals(Optional.of("s1"), clearedLate.server());
    }

    @Test
    void releaseDropsTheMachinesBinding() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        KilnMachine machine = kilnMachine("m1");
        claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        claims.release(claims.existing(live(), machine).orElseThrow(), machine);

        assertNull(client.configMaps().inNamespace(MachineWorld.NAMESPACE)
                .withName(ServerBindings.name(machine)).get());
    }

    @Test
    void aSecondClaimByTheSameMachineReusesItsServer() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT);
        KilnMachine machine = kilnMachine("m1");

        ServerClaims.Claim first = claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();
        ServerClaims.Claim again = claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        assertTrue(first.fresh());
        assertFalse(again.fresh());
        assertEquals(first.serverName(), again.serverName());
        assertEquals(Boolean.FALSE, world.server("s2").getStatus().getInUse());
    }

    @Test
    void releaseFreesTheServerBeforeDroppingTheClaim() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        KilnMachine machine = kilnMachine("m1");
        ServerClaims.Claim claim = claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();
        claims.statuses().markDirty(claim.server());

        claims.release(claims.existing(live(), machine).orElseThrow(), machine);

        var status = world.server("s1").getStatus();
        assertEquals(Boolean.FALSE, status.getInUse());
        assertEquals(Boolean.TRUE, status.getClean());
        assertEquals(Boolean.TRUE, status.getMaintenance());
        assertNull(status.getMachineRef());
        assertTrue(claims.existing(live(), machine).isEmpty());
        assertTrue(claims.claim(live(), kilnMachine("m2"), MachineWorld.CLUSTER, Optional.empty()).isPresent(), "the server is claimable again");
    }

    @Test
    void aClaimCarriesTheClaimLabelSoClaimsAreListedWithoutReadingEveryConfigMap() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        claims.claim(live(), kilnMachine("m1"), MachineWorld.CLUSTER, Optional.empty()).orElseThrow();

        var claim = client.configMaps().inNamespace(MachineWorld.NAMESPACE).withName(KilnLabels.serverClaimName("s1"))
                .get();

        assertEquals("true", claim.getMetadata().getLabels().get(ServerInventory.CLAIM_LABEL));
        assertEquals(java.util.Set.of("s1"), live().claimedServers(MachineWorld.NAMESPACE));
    }

    @Test
    void aClaimWrittenWithoutTheClaimLabelGainsItWhenItsMachineReadsIt() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        KilnMachine machine = kilnMachine("m1");
        claims.claim(live(), machine, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();
        client.configMaps().inNamespace(MachineWorld.NAMESPACE).withName(KilnLabels.serverClaimName("s1"))
                .edit(map -> new ConfigMapBuilder(map).editMetadata().removeFromLabels(ServerInventory.CLAIM_LABEL)
                        .endMetadata().build());
        assertTrue(live().claimedServers(MachineWorld.NAMESPACE).isEmpty());

        assertEquals("s1", claims.existing(live(), machine).orElseThrow().serverName());

        assertEquals(java.util.Set.of("s1"), live().claimedServers(MachineWorld.NAMESPACE));
    }

    @Test
    void aServerWhoseClaimTheInventoryDoesNotShowIsPassedOverForTheNextInTheSamePass() {
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT);
        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT);
        KilnMachine other = kilnMachine("m0");
        claims.claim(live(), other, MachineWorld.CLUSTER, Optional.empty()).orElseThrow();
        // what a lagging cache shows: s1 free and unclaimed, although m0 holds it
        client.configMaps().inNamespace(MachineWorld.NAMESPACE).withName(KilnLabels.serverClaimName("s1"))
                .edit(map -> new ConfigMapBuilder(map).editMetadata().removeFromLabels(ServerInventory.CLAIM_LABEL)
                        .endMetadata().build());
        client.resources(dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer.class)
                .inNamespace(MachineWorld.NAMESPACE).withName("s1").editStatus(server -> {
                    server.getStatus().setInUse(false);
                    server.getStatus().setMachineRef(null);
                    return server;
                });

        ServerClaims.Claim claim = claims.claim(live(), kilnMachine("m1"), MachineWorld.CLUSTER, Optional.empty())
                .orElseThrow();

        assertEquals("s2", claim.serverName());
    }
}
