package dev.kiln.testenv.sim;

import java.util.List;

/** The machine contract against the simulator, on 127.0.88.11-13 (a reference server on .14). */
class SimulatedMachineContractTest extends MachineContract {

    private SimulatedFleet fleet;

    @Override
    protected List<Target> startMachines() {
        fleet = SimulatedFleet.start(SimulatedFleet.Settings.defaults(), List.of("sim-1", "sim-2", "sim-3"),
                List.of("127.0.88.11", "127.0.88.12", "127.0.88.13"));
        return fleet.machines().stream().map(m -> new Target(m.hostname(), m.address(), m.endpoint(),
                m.fingerprint())).toList();
    }

    @Override
    protected String referenceAddress() {
        return "127.0.88.14";
    }

    @Override
    protected void stopMachines() {
        if (fleet != null) {
            fleet.close();
        }
    }
}
