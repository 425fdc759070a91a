package dev.kiln.node.config;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.NodeConfigRules;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.config.PemPair;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.NodeRefusal.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * ApplyConfiguration: validate, decide, then write. A rejected document never reaches the disk, and only one apply
 * runs at a time.
 */
public final class ConfigApplier {

    /** Told when the effective config changes without a reboot: a live apply, a trial, or a trial's rollback. */
    public interface Reloader {
        void reload(MachineConfig config, ConfigChange change);
    }

    public record Applied(ApplyPlan plan, MachineConfig config, List<String> warnings) {
    }

    /** The largest machine config a node takes: the parser's bound, checked here before the bytes are decoded. */
    public static final int MAX_CONFIG_BYTES = ConfigParser.MAX_CONFIG_BYTES;

    private final ConfigStore store;
    private final ScheduledExecutorService timers;
    private final Reloader reloader;
    private final Clock clock;
    private final ReentrantLock oneAtATime = new ReentrantLock();
    private ScheduledFuture<?> trialRollback;

    public ConfigApplier(ConfigStore store, ScheduledExecutorService timers, Reloader reloader, Clock clock) {
        this.store = store;
        this.timers = timers;
        this.reloader = reloader;
        this.clock = clock;
    }

    public static String tooLarge(long bytes) {
        return "machine config is " + bytes + " bytes; a node accepts at most " + MAX_CONFIG_BYTES + " bytes (1 MiB)";
    }

    public static MachineConfig parse(String yaml) throws NodeRefusal {
        return check(yaml).config();
    }

    /** A config that passed every rule, with the warnings about what Kiln does not act on. */
    public record Checked(MachineConfig config, List<String> warnings) {
    }

    /** Parses and holds {@code yaml} to the node's rules: errors refuse it, warnings come back with it. */
    public static Checked check(String yaml) throws NodeRefusal {
        ParseResult result = new ConfigParser().parse(yaml);
        List<ConfigProblem> problems = new ArrayList<>();
        if (result instanceof ParseResult.Invalid invalid) {
            problems.addAll(invalid.problems());
        } else if (result instanceof ParseResult.Parsed parsed) {
            // The same rules kilnctl validate applies.
            problems.addAll(NodeConfigRules.problems(parsed.config()));
            if (problems.isEmpty()) {
                return new Checked(parsed.config(), result.warnings().stream().map(ConfigProblem::toString).toList());
            }
        }
        throw new NodeRefusal(Reason.INVALID_REQUEST, "invalid machine config: "
                + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
    }

    /** The config in force now: the one on trial if there is one, otherwise the stored one. */
    public Optional<MachineConfig> effective() throws IOException, NodeRefusal {
        Optional<String> yaml = effectiveYaml();
        return yaml.isPresent() ? Optional.of(parse(yaml.get())) : Optional.empty();
    }

    /** The text of the config in force: the one on trial if there is one, otherwise the stored one. */
    private Optional<String> effectiveYaml() throws IOException {
        Optional<ConfigStore.Trial> trial = store.trial();
        return trial.isPresent() ? Optional.of(trial.get().yaml()) : store.active();
    }

    /** The machine CA named by the config in force, read even when that config no longer validates. */
    public Optional<PemPair> storedMachineCa() throws IOException {
        return effectiveYaml().flatMap(text -> new ConfigParser().machineCa(text));
    }

    public Applied apply(byte[] data, Mode mode, boolean dryRun, Duration tryTimeout, boolean maintenance)
            throws NodeRefusal {
        if (data.length > MAX_CONFIG_BYTES) {
            throw new NodeRefusal(Reason.INVALID_REQUEST, tooLarge(data.length));
        }
        if (!oneAtATime.tryLock()) {
            throw new NodeRefusal(Reason.BUSY, "another ApplyConfiguration is in progress");
        }
        try {
            // Stored as sent, so Talos keys and documents Kiln does not act on come back unchanged.
            String text = new String(data, StandardCharsets.UTF_8);
            Checked checked = check(text);
            MachineConfig next = checked.config();
            Optional<String> currentText = maintenance ? Optional.empty() : effectiveYaml();
            ConfigChange change = new ConfigChange(List.of("(all)"));
            if (currentText.isPresent()) {
                change = ConfigChange.between(tree(parse(currentText.get())), tree(next));
                if (change.isEmpty() && !currentText.get().equals(text)) {
                    change = new ConfigChange(List.of(ConfigChange.NOT_USED_BY_KILN));
                }
            }
            ApplyPlan plan = ApplyPlan.decide(maintenance, change, mode, tryTimeout);
            if (plan instanceof ApplyPlan.Refuse refuse) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, refuse.details());
            }
            if (!dryRun) {
                execute(plan, text, next);
            }
            return new Applied(plan, next, checked.warnings());
        } catch (IOException e) {
            throw new NodeRefusal(Reason.FAILED, "storing the config: " + e.getMessage(), e);
        } finally {
            oneAtATime.unlock();
        }
    }

    private void execute(ApplyPlan plan, String text, MachineConfig next) throws IOException, NodeRefusal {
        if (plan instanceof ApplyPlan.LeaveMaintenance || plan instanceof ApplyPlan.StoreAndReboot) {
            cancelTrial();
            store.store(text);
        } else if (plan instanceof ApplyPlan.StoreAndReload reload) {
            cancelTrial();
            store.store(text);
            reloader.reload(next, reload.change());
        } else if (plan instanceof ApplyPlan.Stage) {
            store.stage(text);
        } else if (plan instanceof ApplyPlan.Trial trial) {
            cancelTrial();
            store.startTrial(text, clock.instant().plus(trial.timeout()));
            trialRollback = timers.schedule(this::rollBackTrial, trial.timeout().toMillis(), TimeUnit.MILLISECONDS);
            reloader.reload(next, trial.change());
        } else if (plan instanceof ApplyPlan.NoChange) {
            Optional<ConfigStore.Trial> pending = store.trial();
            if (pending.isPresent() && plan.mode() != Mode.TRY) {
                cancelTrial();
                store.store(pending.get().yaml());
            }
        }
    }

    private void cancelTrial() throws IOException {
        if (trialRollback != null) {
            trialRollback.cancel(false);
            trialRollback = null;
        }
        store.endTrial();
    }

    private void rollBackTrial() {
        oneAtATime.lock();
        try {
            Optional<ConfigStore.Trial> trial = store.trial();
            if (trial.isEmpty()) {
                return;
            }
            MachineConfig tried = parse(trial.get().yaml());
            store.endTrial();
            trialRollback = null;
            Optional<String> active = store.active();
            if (active.isPresent()) {
                MachineConfig restored = parse(active.get());
                reloader.reload(restored, ConfigChange.between(tree(tried), tree(restored)));
            }
        } catch (IOException | NodeRefusal e) {
            throw new IllegalStateException("rolling back the trial config: " + e.getMessage(), e);
        } finally {
            oneAtATime.unlock();
        }
    }

    /** On boot: a trial does not survive a reboot, and a staged config takes over. */
    public void settleAtBoot() throws IOException {
        store.endTrial();
        store.promoteStaged();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(MachineConfig config) {
        return (Map<String, Object>) new Yaml().load(new ConfigWriter().write(config));
    }
}
