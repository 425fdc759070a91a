package dev.kiln.testenv.capi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionOrderTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static Machine machine(String name, String created, boolean hasNode) {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withCreationTimestamp(created).build());
        Machine.Status status = new Machine.Status();
        if (hasNode) {
            status.setAdditionalProperty("nodeRef", Map.of("kind", "Node", "name", name));
        }
        machine.setStatus(status);
        return machine;
    }

    private static List<String> names(List<Machine> machines) {
        return machines.stream().map(m -> m.getMetadata().getName()).toList();
    }

    @Test
    void randomIsTheDefaultAndRanksMachinesWithoutANodeAlikeSoNamesDecide() {
        List<Machine> live = List.of(machine("cp-zz", "2026-11-26T10:00:00Z", false),
                machine("cp-aa", "2026-11-26T11:00:00Z", false), machine("cp-mm", "2026-11-26T09:00:00Z", false));

        assertEquals(List.of("cp-aa", "cp-mm"), names(DeletionOrder.of(null).pick(live, 2, NOW)));
        assertEquals(List.of("cp-aa", "cp-mm"), names(DeletionOrder.of("Random").pick(live, 2, NOW)));
    }

    @Test
    void aMachineMarkedWithTheDeleteMachineAnnotationGoesFirst() {
        Machine marked = machine("cp-zz", "2026-11-26T10:00:00Z", false);
        marked.getMetadata().setAnnotations(Map.of(Machine.DELETE_MACHINE_ANNOTATION, ""));
        List<Machine> live = List.of(machine("cp-aa", "2026-11-26T11:00:00Z", false), marked);

        assertEquals(List.of("cp-zz"), names(DeletionOrder.of("Newest").pick(live, 1, NOW)));
    }

    @Test
    void oldestAndNewestRankMachinesWithANodeByAgeAfterTheUnhealthyOnes() {
        List<Machine> live = List.of(machine("cp-old", "2026-11-20T10:00:00Z", true),
                machine("cp-new", "2026-11-26T11:00:00Z", true), machine("cp-mid", "2026-11-24T10:00:00Z", true),
                machine("cp-nonode", "2026-11-26T11:30:00Z", false));

        assertEquals(List.of("cp-nonode", "cp-old", "cp-mid"),
                names(DeletionOrder.of("Oldest").pick(live, 3, NOW)));
        assertEquals(List.of("cp-nonode", "cp-new", "cp-mid"),
                names(DeletionOrder.of("Newest").pick(live, 3, NOW)));
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeletionOrder.of("Biggest"));
        assertEquals("spec.deletePolicy: unsupported delete policy Biggest; must be one of Random, Newest, Oldest",
                e.getMessage());
    }
}
