package dev.kiln.capi.node;

import dev.kiln.machinery.client.EtcdSnapshotResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory stand-in for Kiln nodes and their shared etcd, for reconciler unit tests only. It keeps the node
 * rules that matter to the operator: maintenance before config, one bootstrap per cluster (guards on the node),
 * joins as learners promoted by {@link #settle()}, removal and leave, reset to maintenance.
 */
public final class InMemoryNodes implements NodeConnector {

    /** The raft index every member reports as committed; a member applies up to its lag below it. */
    public static final long RAFT_INDEX = 20_000;

    /** The etcd revision every snapshot of these nodes reports. */
    public static final long SNAPSHOT_REVISION = 4242;

    public final class Node {
        final String address;
        final String fingerprint;
        String hostname = "";
        byte[] config;
        boolean controlPlane;
        boolean reachable = true;
        boolean etcdHealthy = true;
        long appliedLag;
        boolean cannotLeaveEtcd;
        Long memberId;
        Long removedFromCluster;
        byte[] uploadedSnapshot;
        String installed = "v0.1.0";
        String otherSlot;
        String lastRollback;

        Node(String address, String fingerprint) {
            this.address = address;
            this.fingerprint = fingerprint;
        }

        public boolean maintenance() {
            return config == null;
        }

        public Long memberId() {
            return memberId;
        }

        public String address() {
            return address;
        }

        public void setReachable(boolean value) {
            reachable = value;
        }

        public void setEtcdHealthy(boolean value) {
            etcdHealthy = value;
        }

        public void setAppliedLag(long entries) {
            appliedLag = entries;
        }

        public String installedVersion() {
            return installed;
        }
    }

    /** A node-init release a node can be upgraded to; an unhealthy one is rolled back by the node's bootloader. */
    private record Release(String version, boolean healthy) {
    }

    private final Map<String, Release> releases = new LinkedHashMap<>();

    /** Makes {@code imageRef} downloadable; any other reference is refused as a node refuses a bad download. */
    public synchronized void publishRelease(String imageRef, String version, boolean healthy) {
        releases.put(imageRef, new Release(version, healthy));
    }

    private record MemberRecord(long id, String name, String address, boolean learner) {
    }

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<Long, MemberRecord> members = new LinkedHashMap<>();
    private final AtomicLong nextMemberId = new AtomicLong(0x1000);
    private final AtomicInteger bootstrapCalls = new AtomicInteger();
    private final List<String> calls = new ArrayList<>();
    private long clusterId;
    /** The member that leads once leadership was moved; until then (or once it is gone) the first member leads. */
    private Long movedLeader;
    private byte[] recoveredFrom;

    private long leaderId() {
        if (movedLeader != null && members.containsKey(movedLeader)) {
            return movedLeader;
        }
        return members.keySet().stream().findFirst().orElse(0L);
    }

    public synchronized Node add(String address, String fingerprint) {
        Node node = new Node(address, fingerprint);
        nodes.put(address, node);
        return node;
    }

    public synchronized Node node(String address) {
        return nodes.get(address);
    }

    /** The snapshot the cluster's etcd was bootstrapped from, if it was recovered rather than started empty. */
    public synchronized Optional<byte[]> recoveredFrom() {
        return Optional.ofNullable(recoveredFrom);
    }

    public int bootstrapCalls() {
        return bootstrapCalls.get();
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Long> memberIds() {
        return List.copyOf(members.keySet());
    }

    public synchronized long learnerCount() {
        return members.values().stream().filter(MemberRecord::learner).count();
    }

    /** Control-plane nodes with config but no member join as learners; learners are promoted. One change per call. */
    public synchronized void settle() {
        for (MemberRecord member : members.values()) {
            if (member.learner()) {
                members.put(member.id(), new MemberRecord(member.id(), member.name(), member.address(), false));
                return;
            }
        }
        if (clusterId == 0) {
            return;
        }
        for (Node node : nodes.values()) {
            if (node.controlPlane && node.config != null && node.memberId == null && node.reachable) {
                long id = nextMemberId.getAndIncrement();
                node.memberId = id;
                members.put(id, new MemberRecord(id, node.hostname, node.address, true));
                return;
            }
        }
    }

    /** Simulates a crashed machine: unreachable and its member unhealthy. */
    public synchronized void crash(String address) {
        Node node = nodes.get(address);
        node.reachable = false;
        node.etcdHealthy = false;
    }

    @Override
    public NodeApi connect(String address, NodeCredentials credentials) {
        synchronized (this) {
            Node node = nodes.get(address);
            if (node == null) {
                throw new NodeApiException(address, NodeApiException.Kind.UNAVAILABLE, "no node at " + address, null);
            }
            return new Api(node, credentials);
        }
    }

    private final class Api implements NodeApi {
        private final Node node;
        private final NodeCredentials credentials;

        Api(Node node, NodeCredentials credentials) {
            this.node = node;
            this.credentials = credentials;
        }

        private void reachable(String call) {
            synchronized (InMemoryNodes.this) {
                calls.add(node.address + " " + call);
                if (!node.reachable) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.UNAVAILABLE, "unreachable", null);
                }
                boolean maintenanceCall = credentials instanceof NodeCredentials.Maintenance;
                if (maintenanceCall && !node.maintenance()) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.UNAVAILABLE,
                            "node serves mutual TLS now", null);
                }
                if (maintenanceCall && !((NodeCredentials.Maintenance) credentials).pinnedFingerprint()
                        .equals(node.fingerprint)) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.UNAVAILABLE, "fingerprint mismatch", null);
                }
                if (!maintenanceCall && node.maintenance() && !call.equals("version")) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.UNAVAILABLE, "node in maintenance", null);
                }
            }
        }

        @Override
        public NodeVersion version() {
            reachable("version");
            synchronized (InMemoryNodes.this) {
                return new NodeVersion(node.installed, node.maintenance(), node.installed, false,
                        Optional.ofNullable(node.lastRollback));
            }
        }

        @Override
        public String upgrade(String imageRef, boolean stage, boolean preserve) {
            reachable("upgrade " + imageRef);
            synchronized (InMemoryNodes.this) {
                Release release = releases.get(imageRef);
                if (release == null) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED,
                            "image: downloading " + imageRef + " failed", null);
                }
                String from = node.installed;
                if (stage) {
                    return "upgrade from " + from + " to " + release.version() + " staged";
                }
                if (release.healthy()) {
                    node.otherSlot = from;
                    node.installed = release.version();
                } else {
                    node.otherSlot = release.version();
                    node.lastRollback = "rolled back from " + release.version() + " to " + from
                            + ": not confirmed healthy after 3 boot attempts";
                }
                return "upgrade from " + from + " to " + release.version() + "; rebooting into it on trial";
            }
        }

        @Override
        public void rollback() {
            reachable("rollback");
            synchronized (InMemoryNodes.this) {
                if (node.otherSlot == null) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED,
                            "no version installed in the other slot to roll back to", null);
                }
                String from = node.installed;
                node.installed = node.otherSlot;
                node.otherSlot = from;
                node.lastRollback = "rolled back from " + from + " to " + node.installed + ": requested through the API";
            }
        }

        @Override
        public void applyConfiguration(byte[] config) {
            reachable("apply");
            synchronized (InMemoryNodes.this) {
                String text = new String(config, java.nio.charset.StandardCharsets.UTF_8);
                node.config = config;
                node.controlPlane = text.contains("type: controlplane");
                var hostname = java.util.regex.Pattern.compile("hostname: (\\S+)").matcher(text);
                node.hostname = hostname.find() ? hostname.group(1) : node.address;
            }
        }

        @Override
        public void etcdRecover(InputStream snapshot) {
            reachable("recover");
            byte[] bytes;
            try {
                bytes = snapshot.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (InMemoryNodes.this) {
                node.uploadedSnapshot = bytes;
            }
        }

        @Override
        public void bootstrap(boolean recoverEtcd) {
            reachable(recoverEtcd ? "bootstrap-recover" : "bootstrap");
            synchronized (InMemoryNodes.this) {
                bootstrapCalls.incrementAndGet();
                if (recoverEtcd && node.uploadedSnapshot == null) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED,
                            "recover_etcd: no snapshot was uploaded with EtcdRecover", null);
                }
                if (recoverEtcd) {
                    recoveredFrom = node.uploadedSnapshot;
                }
                if (!node.controlPlane) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED, "worker", null);
                }
                if (node.memberId != null || clusterId != 0) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.ALREADY_EXISTS, "exists", null);
                }
                clusterId = 0xC1L;
                long id = nextMemberId.getAndIncrement();
                node.memberId = id;
                members.put(id, new MemberRecord(id, node.hostname, node.address, false));
            }
        }

        @Override
        public MemberList members() {
            reachable("members");
            synchronized (InMemoryNodes.this) {
                requireMember();
                return new MemberList(clusterId, members.values().stream()
                        .map(m -> new Member(m.id(), m.name(), List.of("https://" + m.address() + ":2380"),
                                List.of("https://" + m.address() + ":2379"), m.learner()))
                        .toList());
            }
        }

        private void requireMember() {
            if (node.removedFromCluster != null) {
                throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED,
                        "etcd: removed from cluster " + Long.toHexString(node.removedFromCluster), null);
            }
            if (node.memberId == null) {
                throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED, "etcd not running", null);
            }
        }

        @Override
        public EtcdHealth etcdStatus() {
            reachable("status");
            synchronized (InMemoryNodes.this) {
                requireMember();
                MemberRecord self = members.get(node.memberId);
                long leader = leaderId();
                return new EtcdHealth(clusterId, node.memberId, node.etcdHealthy ? leader : 0,
                        self != null && self.learner(), node.etcdHealthy ? List.of() : List.of("unhealthy"),
                        RAFT_INDEX, RAFT_INDEX - node.appliedLag);
            }
        }

        @Override
        public void removeMember(long memberId) {
            reachable("remove " + Long.toHexString(memberId));
            synchronized (InMemoryNodes.this) {
                if (members.remove(memberId) == null) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.NOT_FOUND, "not found", null);
                }
                // A removed member's own etcd stops, and the node knows no other endpoint to ask.
                nodes.values().stream().filter(n -> Long.valueOf(memberId).equals(n.memberId))
                        .forEach(n -> {
                            n.memberId = null;
                            n.cannotLeaveEtcd = true;
                            n.removedFromCluster = clusterId;
                        });
            }
        }

        @Override
        public void leaveEtcd() {
            reachable("leave");
            synchronized (InMemoryNodes.this) {
                if (node.memberId != null) {
                    members.remove(node.memberId);
                    node.memberId = null;
                }
            }
        }

        @Override
        public String forfeitLeadership() {
            reachable("forfeit");
            synchronized (InMemoryNodes.this) {
                if (node.memberId == null || node.memberId != leaderId()) {
                    return "";
                }
                Optional<MemberRecord> next = members.values().stream()
                        .filter(m -> m.id() != node.memberId && !m.learner()).findFirst();
                next.ifPresent(m -> movedLeader = m.id());
                return next.map(MemberRecord::name).orElse("");
            }
        }

        @Override
        public EtcdSnapshotResult etcdSnapshot(OutputStream out) {
            reachable("snapshot");
            byte[] snapshot;
            synchronized (InMemoryNodes.this) {
                requireMember();
                snapshot = ("snapshot of etcd cluster " + Long.toHexString(clusterId) + " members " + members.keySet())
                        .getBytes(StandardCharsets.UTF_8);
            }
            try {
                out.write(snapshot);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new EtcdSnapshotResult(snapshot.length, OptionalLong.of(SNAPSHOT_REVISION));
        }

        @Override
        public void reset(boolean graceful) {
            reachable("reset");
            synchronized (InMemoryNodes.this) {
                if (graceful && node.cannotLeaveEtcd) {
                    throw new NodeApiException(node.address, NodeApiException.Kind.REFUSED,
                            "leaving etcd: list members: no answer in time", null);
                }
                if (graceful && node.memberId != null) {
                    members.remove(node.memberId);
                }
                node.memberId = null;
                node.cannotLeaveEtcd = false;
                node.removedFromCluster = null;
                node.config = null;
            }
        }

        @Override
        public void close() {
        }
    }
}
