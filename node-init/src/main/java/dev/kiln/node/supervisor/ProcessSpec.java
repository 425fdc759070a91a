package dev.kiln.node.supervisor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What a {@link ProcessService} runs and how. Build with {@link #of} and the {@code with} methods. */
public record ProcessSpec(
        String id,
        List<String> command,
        Map<String, String> environment,
        Path workingDir,
        Set<String> dependsOn,
        RestartPolicy restartPolicy,
        Duration stopTimeout,
        HealthCheck healthCheck) {

    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    public ProcessSpec {
        Objects.requireNonNull(id, "id");
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("command is required");
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        dependsOn = Set.copyOf(dependsOn);
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        Objects.requireNonNull(healthCheck, "healthCheck");
    }

    /** A process with the inherited environment, restarted always, healthy while alive. */
    public static ProcessSpec of(String id, String... command) {
        return new ProcessSpec(id, List.of(command), Map.of(), null, Set.of(), RestartPolicy.ALWAYS,
                DEFAULT_STOP_TIMEOUT, HealthCheck.none());
    }

    /** Variables added to (or overriding) the inherited environment. */
    public ProcessSpec withEnvironment(Map<String, String> env) {
        return new ProcessSpec(id, command, env, workingDir, dependsOn, restartPolicy, stopTimeout, healthCheck);
    }

    public ProcessSpec withWorkingDir(Path dir) {
        return new ProcessSpec(id, command, environment, dir, dependsOn, restartPolicy, stopTimeout, healthCheck);
    }

    public ProcessSpec withDependsOn(String... ids) {
        return new ProcessSpec(id, command, environment, workingDir, Set.of(ids), restartPolicy, stopTimeout, healthCheck);
    }

    public ProcessSpec withRestartPolicy(RestartPolicy policy) {
        return new ProcessSpec(id, command, environment, workingDir, dependsOn, policy, stopTimeout, healthCheck);
    }

    /** How long SIGTERM gets before SIGKILL. */
    public ProcessSpec withStopTimeout(Duration timeout) {
        return new ProcessSpec(id, command, environment, workingDir, dependsOn, restartPolicy, timeout, healthCheck);
    }

    /** Checked only while the process is alive; a dead process is unhealthy without asking. */
    public ProcessSpec withHealthCheck(HealthCheck check) {
        return new ProcessSpec(id, command, environment, workingDir, dependsOn, restartPolicy, stopTimeout, check);
    }
}
