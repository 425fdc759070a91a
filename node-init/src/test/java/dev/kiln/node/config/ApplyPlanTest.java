package dev.kiln.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ApplyPlanTest {

    private static final ConfigChange LIVE = new ConfigChange(List.of("cluster.etcd.peers"));
    private static final ConfigChange NEEDS_REBOOT = new ConfigChange(List.of("machine.network.hostname"));
    private static final ConfigChange NONE = new ConfigChange(List.of());
    private static final ConfigChange FIRST_CONFIG = new ConfigChange(List.of("(all)"));

    /** Node state, the change the document makes, the requested mode, the plan and the mode it reports. */
    static Stream<Arguments> everyModeOnEveryKindOfNode() {
        return Stream.of(
                // Maintenance: any config is new, and leaving maintenance always boots into it.
                row("maintenance", FIRST_CONFIG, Mode.AUTO, ApplyPlan.LeaveMaintenance.class, Mode.REBOOT),
                row("maintenance", FIRST_CONFIG, Mode.REBOOT, ApplyPlan.LeaveMaintenance.class, Mode.REBOOT),
                row("maintenance", FIRST_CONFIG, Mode.NO_REBOOT, ApplyPlan.LeaveMaintenance.class, Mode.REBOOT),
                row("maintenance", FIRST_CONFIG, Mode.STAGED, ApplyPlan.Refuse.class, Mode.STAGED),
                row("maintenance", FIRST_CONFIG, Mode.TRY, ApplyPlan.Refuse.class, Mode.TRY),
                // Configured, a change the node takes live.
                row("configured", LIVE, Mode.AUTO, ApplyPlan.StoreAndReload.class, Mode.NO_REBOOT),
                row("configured", LIVE, Mode.REBOOT, ApplyPlan.StoreAndReboot.class, Mode.REBOOT),
                row("configured", LIVE, Mode.NO_REBOOT, ApplyPlan.StoreAndReload.class, Mode.NO_REBOOT),
                row("configured", LIVE, Mode.STAGED, ApplyPlan.Stage.class, Mode.STAGED),
                row("configured", LIVE, Mode.TRY, ApplyPlan.Trial.class, Mode.TRY),
                // Configured, a change that only takes effect at boot.
                row("configured", NEEDS_REBOOT, Mode.AUTO, ApplyPlan.StoreAndReboot.class, Mode.REBOOT),
                row("configured", NEEDS_REBOOT, Mode.REBOOT, ApplyPlan.StoreAndReboot.class, Mode.REBOOT),
                row("configured", NEEDS_REBOOT, Mode.NO_REBOOT, ApplyPlan.Refuse.class, Mode.NO_REBOOT),
                row("configured", NEEDS_REBOOT, Mode.STAGED, ApplyPlan.Stage.class, Mode.STAGED),
                row("configured", NEEDS_REBOOT, Mode.TRY, ApplyPlan.Refuse.class, Mode.TRY),
                // Configured, the same document again.
                row("configured", NONE, Mode.AUTO, ApplyPlan.NoChange.class, Mode.NO_REBOOT),
                row("configured", NONE, Mode.REBOOT, ApplyPlan.StoreAndReboot.class, Mode.REBOOT),
                row("configured", NONE, Mode.NO_REBOOT, ApplyPlan.NoChange.class, Mode.NO_REBOOT),
                row("configured", NONE, Mode.STAGED, ApplyPlan.Stage.class, Mode.STAGED),
                row("configured", NONE, Mode.TRY, ApplyPlan.NoChange.class, Mode.TRY));
    }

    private static Arguments row(String node, ConfigChange change, Mode requested,
            Class<? extends ApplyPlan> plan, Mode reported) {
        return Arguments.of(node, change, requested, plan, reported);
    }

    @ParameterizedTest(name = "{0} node, change {1}, {2} -> {3}")
    @MethodSource("everyModeOnEveryKindOfNode")
    void decidesThePlanFromNodeStateChangeAndRequestedMode(String node, ConfigChange change, Mode requested,
            Class<? extends ApplyPlan> expectedPlan, Mode reportedMode) {
        ApplyPlan plan = ApplyPlan.decide(node.equals("maintenance"), change, requested, null);

        assertInstanceOf(expectedPlan, plan, plan.details());
        assertEquals(reportedMode, plan.mode());
    }

    @Test
    void noRebootRefusalNamesThePathsThatNeedAReboot() {
        ConfigChange change = new ConfigChange(List.of("cluster.etcd.peers", "machine.network.hostname", "machine.type"));

        ApplyPlan.Refuse refuse = assertInstanceOf(ApplyPlan.Refuse.class,
                ApplyPlan.decide(false, change, Mode.NO_REBOOT, null));

        assertEquals(List.of("machine.network.hostname", "machine.type"), refuse.pathsNeedingReboot());
    }

    @Test
    void tryRefusalNamesThePathsThatNeedAReboot() {
        ApplyPlan.Refuse refuse = assertInstanceOf(ApplyPlan.Refuse.class,
                ApplyPlan.decide(false, NEEDS_REBOOT, Mode.TRY, null));

        assertEquals(List.of("machine.network.hostname"), refuse.pathsNeedingReboot());
    }

    @Test
    void aLiveApplyCarriesTheChangeForTheReload() {
        ApplyPlan.StoreAndReload reload = assertInstanceOf(ApplyPlan.StoreAndReload.class,
                ApplyPlan.decide(false, LIVE, Mode.AUTO, null));

        assertEquals(LIVE, reload.change());
    }

    @Test
    void aTrialUsesTheRequestedTimeout() {
        ApplyPlan.Trial trial = assertInstanceOf(ApplyPlan.Trial.class,
                ApplyPlan.decide(false, LIVE, Mode.TRY, Duration.ofSeconds(3)));

        assertEquals(Duration.ofSeconds(3), trial.timeout());
    }

    @ParameterizedTest
    @EnumSource(names = {"NULL", "ZERO"}, value = TimeoutGiven.class)
    void aTrialWithoutATimeoutUsesTheDefaultMinute(TimeoutGiven given) {
        ApplyPlan.Trial trial = assertInstanceOf(ApplyPlan.Trial.class,
                ApplyPlan.decide(false, LIVE, Mode.TRY, given.value));

        assertEquals(ApplyPlan.DEFAULT_TRY_TIMEOUT, trial.timeout());
        assertEquals(Duration.ofMinutes(1), trial.timeout());
    }

    enum TimeoutGiven {
        NULL(null), ZERO(Duration.ZERO);

        final Duration value;

        TimeoutGiven(Duration value) {
            this.value = value;
        }
    }
}
