package dev.kiln.testenv.sim;

import dev.kiln.testenv.Machines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The machine contract against real node-init processes with real etcd, on 127.0.88.1-3 (a reference server on .4). */
class NodeInitMachineContractTest extends MachineContract {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/contract/node-init").toAbsolutePath();

    private Machines machines;

    @Override
    protected List<Target> startMachines() throws Exception {
        if (java.nio.file.Files.exists(WORK)) {
            try (var walk = java.nio.file.Files.walk(WORK)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
        machines = Machines.launch(REPO, WORK, List.of("node-1", "node-2", "node-3"),
                List.of("127.0.88.1", "127.0.88.2", "127.0.88.3"));
        return machines.list().stream().map(m -> new Target(m.name(), m.address(), m.endpoint(),
                Machines.awaitFingerprint(m, Duration.ofSeconds(60)))).toList();
    }

    @Override
    protected String referenceAddress() {
        return "127.0.88.4";
    }

    @Override
    protected void stopMachines() {
        if (machines != null) {
            machines.close();
        }
    }
}
