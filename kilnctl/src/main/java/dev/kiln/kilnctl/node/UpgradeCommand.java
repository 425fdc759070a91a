package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "upgrade", description = "Upgrades node-init on each node to a release, installed into the inactive"
        + " boot slot and kept only once the node confirms it healthy (see docs/upgrades.md).")
public final class UpgradeCommand extends NodeCommand {

    private static final Pattern TARGET = Pattern.compile(" to (\\S+) installed");
    private static final Duration POLL = Duration.ofSeconds(1);

    @Option(names = {"-i", "--image"}, required = true, description = "the release, URL@sha256:<64 hex> (https:// or file:// on the node)")
    String image;

    @Option(names = "--stage", description = "install only; the next reboot boots the release")
    boolean stage;

    @Option(names = "--preserve", description = "keep etcd data (Kiln keeps it either way)")
    boolean preserve;

    @Option(names = "--force", description = "upgrade even if the node's etcd checks refuse it (etcd unhealthy, or"
            + " its quorum lost while the node reboots)")
    boolean force;

    @Option(names = "--wait", description = "wait until the node runs the release confirmed healthy, or rolled back")
    boolean await;

    @Option(names = "--timeout", description = "how long --wait waits, e.g. 10m, 1h (default: 10m)")
    Duration timeout = Duration.ofMinutes(10);

    @Override
    protected void run(MachineClient client, PrintWriter out) throws Exception {
        String rollbackBefore = client.version().getVersion().getLastRollback();
        String ack = client.upgrade(image, stage, preserve, force);
        out.printf("%s: %s%n", client.node(), ack);
        if (!await || stage) {
            return;
        }
        Matcher target = TARGET.matcher(ack);
        String version = target.find() ? target.group(1) : "the new release";
        Predicate<VersionInfo> rolledBack = v -> !v.getLastRollback().isEmpty()
                && !v.getLastRollback().equals(rollbackBefore);
        long deadline = System.nanoTime() + timeout.toNanos();
        VersionInfo running = waitFor(client, out, "waiting for " + client.node() + " to boot " + version, deadline,
                v -> v.getRunning().equals(version) || rolledBack.test(v));
        if (!rolledBack.test(running)) {
            running = waitFor(client, out, "waiting for " + client.node() + " to confirm " + version + " healthy",
                    deadline, v -> !v.getTrial() || rolledBack.test(v));
        }
        if (rolledBack.test(running)) {
            throw new IllegalStateException(client.node() + ": " + running.getLastRollback());
        }
    }

    private VersionInfo waitFor(MachineClient client, PrintWriter out, String what, long deadline,
            Predicate<VersionInfo> done) throws InterruptedException {
        out.print(what + " ... ");
        out.flush();
        while (System.nanoTime() < deadline) {
            Optional<VersionInfo> version = poll(client);
            if (version.isPresent() && done.test(version.get())) {
                out.println("OK");
                out.flush();
                return version.get();
            }
            Thread.sleep(POLL.toMillis());
        }
        out.println("TIMEOUT");
        out.flush();
        throw new IllegalStateException(what + ": not done within " + timeout);
    }

    private static Optional<VersionInfo> poll(MachineClient client) {
        try {
            return Optional.of(client.version().getVersion());
        } catch (MachineApiException e) {
            // The node is rebooting; it answers again once the new boot serves.
            return Optional.empty();
        }
    }
}
