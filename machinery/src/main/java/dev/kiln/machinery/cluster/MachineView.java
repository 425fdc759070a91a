package dev.kiln.machinery.cluster;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One machine as the caller sees it.
 *
 * @param name                Cluster API machine name
 * @param role                control plane or worker; only control-plane machines run etcd
 * @param creationOrder       any stamp that grows with creation time (e.g. epoch millis); ties are broken by name
 * @param ready               configured and installed, its machine API answers
 * @param deleting            deletion has started (deletionTimestamp set)
 * @param failed              terminally failed; its etcd member counts as unhealthy
 * @param memberName          the etcd member name it runs (its hostname), empty while unknown
 * @param hasPreTerminateHook holds Kiln's pre-terminate hook, so its infrastructure waits for etcd to let go
 * @param outdated            its spec no longer matches the desired control-plane spec
 * @param markedForDeletion   carries the cluster.x-k8s.io/delete-machine annotation
 */
public record MachineView(
        String name,
        MachineRole role,
        long creationOrder,
        boolean ready,
        boolean deleting,
        boolean failed,
        Optional<String> memberName,
        boolean hasPreTerminateHook,
        boolean outdated,
        boolean markedForDeletion) {

    /** Oldest first, so choices are deterministic. */
    public static final Comparator<MachineView> OLDEST_FIRST =
            Comparator.comparingLong(MachineView::creationOrder).thenComparing(MachineView::name);

    public MachineView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(memberName, "memberName");
        if (memberName.isPresent() && memberName.get().isEmpty()) {
            throw new IllegalArgumentException("memberName of " + name + " is empty; use Optional.empty()");
        }
    }

    /** A ready control-plane machine whose hostname equals its name and that holds the pre-terminate hook. */
    public static MachineView controlPlane(String name, long creationOrder) {
        return new MachineView(name, MachineRole.CONTROL_PLANE, creationOrder, true, false, false,
                Optional.of(name), true, false, false);
    }

    public static MachineView worker(String name, long creationOrder) {
        return new MachineView(name, MachineRole.WORKER, creationOrder, true, false, false,
                Optional.of(name), false, false, false);
    }

    public boolean isControlPlane() {
        return role == MachineRole.CONTROL_PLANE;
    }

    /** Neither deleting nor failed: it is meant to stay. */
    public boolean isLive() {
        return !deleting && !failed;
    }

    public MachineView withReady(boolean value) {
        return new MachineView(name, role, creationOrder, value, deleting, failed, memberName,
                hasPreTerminateHook, outdated, markedForDeletion);
    }

    public MachineView withDeleting(boolean value) {
        return new MachineView(name, role, creationOrder, ready, value, failed, memberName,
                hasPreTerminateHook, outdated, markedForDeletion);
    }

    public MachineView withFailed(boolean value) {
        return new MachineView(name, role, creationOrder, ready, deleting, value, memberName,
                hasPreTerminateHook, outdated, markedForDeletion);
    }

    /** {@code null} means the hostname is not known yet. */
    public MachineView withMemberName(String value) {
        return new MachineView(name, role, creationOrder, ready, deleting, failed, Optional.ofNullable(value),
                hasPreTerminateHook, outdated, markedForDeletion);
    }

    public MachineView withPreTerminateHook(boolean value) {
        return new MachineView(name, role, creationOrder, ready, deleting, failed, memberName,
                value, outdated, markedForDeletion);
    }

    public MachineView withOutdated(boolean value) {
        return new MachineView(name, role, creationOrder, ready, deleting, failed, memberName,
                hasPreTerminateHook, value, markedForDeletion);
    }

    public MachineView withMarkedForDeletion(boolean value) {
        return new MachineView(name, role, creationOrder, ready, deleting, failed, memberName,
                hasPreTerminateHook, outdated, value);
    }
}
