package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.cluster.PlannedStep.Converged;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Enumerates every small cluster (as multisets: member order carries no meaning) and checks the planners against
 * the independent oracles in {@link Rules}, one step and whole runs.
 */
class MembershipPlannerPropertiesTest {

    private static final int MAX_MEMBERS = 7;

    /** Per member: voter/learner x reported healthy/unhealthy x machine live/deleting/failed/absent = 16, + 2. */
    private static final int NAMED_STATES = 16;
    private static final int UNNAMED_VOTER = 16;
    private static final int UNNAMED_LEARNER = 17;
    private static final int MEMBER_STATES = 18;

    private static final int LIVE = 0;
    private static final int DELETING = 1;
    private static final int FAILED = 2;
    private static final int ABSENT = 3;

    /** Machines without a member: ready, not ready, failed, deleting (with hook). */
    private static final int EXTRA_KINDS = 4;
    private static final int MAX_EXTRAS = 2;
    private static final int FULL_EXTRAS_UP_TO = 5;
    private static final int READY = 0;

    @Test
    void everySmallClusterGetsOneSafeStepAndSettles() {
        List<int[]> memberSets = new ArrayList<>();
        multisets(MEMBER_STATES, MAX_MEMBERS, memberSets);
        // Keeps the run short: clusters above FULL_EXTRAS_UP_TO members get named members only.
        memberSets.removeIf(set -> set.length > FULL_EXTRAS_UP_TO && set[set.length - 1] >= NAMED_STATES);
        List<int[]> extraSets = new ArrayList<>();
        multisets(EXTRA_KINDS, MAX_EXTRAS, extraSets);
        // Keeps the run short: clusters above FULL_EXTRAS_UP_TO members get 0..2 ready machines without a member.
        List<int[]> readyExtras = List.of(new int[0], new int[] {READY}, new int[] {READY, READY});

        LongAdder inputs = new LongAdder();
        LongAdder healthyEnough = new LongAdder();
        LongAdder steps = new LongAdder();
        AtomicInteger longestRun = new AtomicInteger();
        long started = System.nanoTime();
        memberSets.parallelStream().forEach(members -> {
            for (int[] extras : members.length <= FULL_EXTRAS_UP_TO ? extraSets : readyExtras) {
                ClusterModel model = build(members, extras);
                inputs.increment();
                // Cheap extra coverage: scale rules on unsettled clusters, desired near the cluster's size.
                Rules.checkScaleDecision(model, members.length | 1, members.length & 1,
                        ScalePlanner.decide(model.scaleInput(members.length | 1, members.length & 1)));
                boolean expectSettled = healthyEnough(model);
                int bound = model.members.size() + 3 * model.machines.size() + 1;
                Start before = new Start(members, extras);
                int run = 0;
                PlannedStep step;
                while (true) {
                    step = MembershipPlanner.plan(model.planInput());
                    Rules.checkMembershipStep(model, step);
                    if (!model.apply(step)) {
                        break;
                    }
                    run++;
                    if (run > bound) {
                        throw new AssertionError("no end after " + bound + " steps from " + before);
                    }
                }
                steps.add(run);
                longestRun.accumulateAndGet(run, Math::max);
                if (expectSettled) {
                    healthyEnough.increment();
                    assertSettledOnStayingMachines(before, model, step);
                }
            }
        });
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("membership properties: %d inputs enumerated (%d member multisets; up to %d members: "
                        + "18 member states x %d extra-machine sets, above: 16 named states x %d), "
                        + "%d healthy enough to settle, %d simulated steps, "
                        + "longest run %d, %d ms%n",
                inputs.sum(), memberSets.size(), FULL_EXTRAS_UP_TO, extraSets.size(), readyExtras.size(),
                healthyEnough.sum(), steps.sum(), longestRun.get(), millis);
        assertEquals(1_179_159, inputs.sum(), "inputs enumerated");
    }

    /** Rebuilds the starting model only when a failure message needs it. */
    private record Start(int[] members, int[] extras) {
        @Override
        public String toString() {
            return build(members, extras).toString();
        }
    }

    /**
     * Settling needs: no failed or unready machine, healthy members on staying machines, a quorate etcd, and at
     * least one staying machine to hold the data.
     */
    private static boolean healthyEnough(ClusterModel model) {
        boolean anyStaying = false;
        for (MachineView m : model.machines) {
            if (m.failed() || !m.ready()) {
                return false;
            }
            anyStaying |= !m.deleting();
        }
        for (MemberView member : model.members) {
            MachineView m = model.machineRunning(member);
            if (m != null && !m.deleting() && !model.countsHealthy(member)) {
                return false;
            }
        }
        return anyStaying && Rules.quorate(model);
    }

    private static void assertSettledOnStayingMachines(Start before, ClusterModel model, PlannedStep last) {
        assertTrue(last instanceof Converged, () -> "expected Converged from " + before + ", ended " + last
                + " at " + model);
        Set<String> staying = new HashSet<>();
        for (MachineView m : model.machines) {
            assertTrue(!m.deleting(), () -> "deleting machine left over from " + before + ": " + model);
            staying.add(m.memberName().orElseThrow());
        }
        Set<String> memberNames = new HashSet<>();
        for (MemberView member : model.members) {
            assertTrue(!member.learner() && model.countsHealthy(member), () -> "unsettled member from " + before);
            memberNames.add(member.name());
        }
        assertEquals(staying, memberNames, () -> "members differ from staying machines, from " + before);
    }

    private static ClusterModel build(int[] members, int[] extras) {
        ClusterModel model = new ClusterModel();
        for (int i = 0; i < members.length; i++) {
            int s = members[i];
            long id = i + 1;
            if (s == UNNAMED_VOTER || s == UNNAMED_LEARNER) {
                model.member(new MemberView(id, "", s == UNNAMED_LEARNER, true));
                continue;
            }
            boolean learner = (s & 1) == 1;
            boolean healthy = (s & 2) == 0;
            int machine = s >> 2;
            String name = machine == ABSENT ? "gone-" + i : "m-" + i;
            if (machine != ABSENT) {
                MachineView m = MachineView.controlPlane(name, i);
                model.machine(machine == DELETING ? m.withDeleting(true) : machine == FAILED ? m.withFailed(true) : m);
            }
            model.member(new MemberView(id, name, learner, healthy));
        }
        for (int j = 0; j < extras.length; j++) {
            MachineView m = MachineView.controlPlane("x-" + j, 100 + j);
            switch (extras[j]) {
                case READY -> model.machine(m);
                case 1 -> model.machine(m.withReady(false));
                case 2 -> model.machine(m.withFailed(true));
                default -> model.machine(m.withDeleting(true));
            }
        }
        return model;
    }

    /** All non-decreasing sequences over [0, kinds) of length 0..maxSize. */
    static void multisets(int kinds, int maxSize, List<int[]> out) {
        for (int size = 0; size <= maxSize; size++) {
            fill(new int[size], 0, 0, kinds, out);
        }
    }

    private static void fill(int[] current, int position, int smallest, int kinds, List<int[]> out) {
        if (position == current.length) {
            out.add(current.clone());
            return;
        }
        for (int k = smallest; k < kinds; k++) {
            current[position] = k;
            fill(current, position + 1, k, kinds, out);
        }
    }

    @Test
    void multisetCountsMatchCombinatorics() {
        List<int[]> out = new ArrayList<>();
        multisets(MEMBER_STATES, MAX_MEMBERS, out);
        assertEquals(480_700, out.size()); // C(18+7, 7): multisets of size <= 7 over 18 kinds
        assertEquals(NAMED_STATES + 2, MEMBER_STATES);
    }
}
