package dev.kiln.kilnctl.node;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.backupstore.S3Failure;
import dev.kiln.machinery.api.machine.EtcdAlarm;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.EtcdStatus;
import dev.kiln.machinery.client.EtcdSnapshotResult;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeReply;
import dev.kiln.machinery.client.FanoutReads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.exception.SdkException;

@Command(name = "etcd", description = "Inspects and changes etcd membership.",
        subcommands = {EtcdCommand.Members.class, EtcdCommand.RemoveMember.class, EtcdCommand.Leave.class,
                EtcdCommand.ForfeitLeadership.class, EtcdCommand.Status.class, EtcdCommand.Snapshot.class,
                EtcdCommand.Recover.class, EtcdCommand.Alarm.class, EtcdCommand.Defrag.class})
public final class EtcdCommand {

    /** Member and cluster IDs as etcd and talosctl print them: 16 hex digits. */
    static String hex(long id) {
        return String.format("%016x", id);
    }

    @Command(name = "members", description = "Lists etcd members.")
    public static final class Members extends ReadCommand<EtcdMembers> {
        @Option(names = "--local", description = "ask only the local member")
        boolean local;

        @Override
        protected EtcdMembers read(MachineClient client) {
            return client.etcdMemberList(local);
        }

        @Override
        protected List<NodeReply<EtcdMembers>> readEach(FanoutReads reads) {
            return reads.etcdMemberList(local);
        }

        @Override
        protected List<String> header() {
            return List.of("ID", "HOSTNAME", "PEER URLS", "CLIENT URLS", "LEARNER");
        }

        @Override
        protected List<List<String>> rows(EtcdMembers members) {
            return members.getMembersList().stream().map(member -> List.of(hex(member.getId()), member.getHostname(),
                    String.join(",", member.getPeerUrlsList()), String.join(",", member.getClientUrlsList()),
                    String.valueOf(member.getIsLearner()))).toList();
        }
    }

    @Command(name = "remove-member", description = "Removes a member that has no node any more, by its hex ID.")
    public static final class RemoveMember extends NodeCommand {
        @Parameters(paramLabel = "MEMBER_ID", description = "member ID in hex, as `etcd members` prints it")
        String memberId;

        @Override
        protected void run(MachineClient client, PrintWriter out) {
            long id;
            try {
                id = Long.parseUnsignedLong(memberId, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("MEMBER_ID " + memberId + ": not a hex member ID");
            }
            client.etcdRemoveMemberById(id);
            out.printf("%s: removed member %s%n", client.node(), hex(id));
        }
    }

    @Command(name = "leave", description = "Makes the node leave etcd and empties its etcd data.")
    public static final class Leave extends NodeCommand {
        @Override
        protected void run(MachineClient client, PrintWriter out) {
            client.etcdLeaveCluster();
            out.printf("%s: left etcd%n", client.node());
        }
    }

    @Command(name = "forfeit-leadership", description = "Moves etcd leadership away from the node if it leads.")
    public static final class ForfeitLeadership extends NodeCommand {
        @Override
        protected void run(MachineClient client, PrintWriter out) {
            String member = client.etcdForfeitLeadership();
            out.printf("%s: %s%n", client.node(), member.isEmpty() ? "not the leader" : "leadership moved to " + member);
        }
    }

    @Command(name = "status", description = "Prints each node's local etcd member status.")
    public static final class Status extends ReadCommand<EtcdStatus> {
        @Override
        protected EtcdStatus read(MachineClient client) {
            return EtcdStatus.newBuilder().setMemberStatus(client.etcdStatus()).build();
        }

        @Override
        protected List<NodeReply<EtcdStatus>> readEach(FanoutReads reads) {
            return reads.etcdStatus().stream()
                    .map(reply -> reply.map(status -> EtcdStatus.newBuilder().setMemberStatus(status).build()))
                    .toList();
        }

        @Override
        protected List<String> header() {
            return List.of("MEMBER", "CLUSTER", "DB SIZE", "IN USE", "LEADER", "RAFT INDEX", "RAFT TERM", "LEARNER",
                    "ERRORS");
        }

        @Override
        protected List<List<String>> rows(EtcdStatus message) {
            EtcdMemberStatus status = message.getMemberStatus();
            return List.of(List.of(hex(status.getMemberId()), hex(status.getClusterId()), status.getDbSize() + " B",
                    status.getDbSizeInUse() + " B", hex(status.getLeader()), String.valueOf(status.getRaftIndex()),
                    String.valueOf(status.getRaftTerm()), String.valueOf(status.getIsLearner()),
                    String.join("; ", status.getErrorsList())));
        }
    }

    @Command(name = "snapshot", description = {"Streams an etcd snapshot from the node into a file or an S3 object.",
            "An s3://bucket/key target gets a <key>.json manifest next to it, as the operator's backups do, so a "
                    + "KilnControlPlane can recover from it."})
    public static final class Snapshot extends NodeCommand {
        @Parameters(paramLabel = "PATH|s3://BUCKET/KEY")
        String target;

        @Mixin
        S3Options s3;

        @Override
        protected void run(MachineClient client, PrintWriter out) throws Exception {
            if (S3ObjectUrl.looksLikeOne(target)) {
                toS3(client, S3ObjectUrl.parse("PATH", target), out);
            } else {
                toFile(client, Path.of(target), out);
            }
        }

        private void toS3(MachineClient client, S3ObjectUrl url, PrintWriter out) throws IOException {
            // The operator's backup records hold the cluster ID unpadded; a manifest must match them to be recovered from.
            String etcdClusterId = Long.toHexString(client.etcdStatus().getClusterId());
            String hostname = client.hostname();
            try (S3BackupStore store = s3.open(url.bucket())) {
                S3BackupStore.Streamed<EtcdSnapshotResult> streamed;
                try {
                    streamed = store.stream(url.key(), client::etcdSnapshot);
                    store.writeManifest(new BackupManifest(url.key(), streamed.uploaded().size(),
                            streamed.uploaded().sha256(), etcdClusterId, streamed.source().etcdRevision(),
                            Instant.now(), hostname, ""));
                } catch (IOException | SdkException e) {
                    S3Failure failure = S3Failure.of(store.destination(), e);
                    throw new IllegalStateException(target + ": " + failure.reason() + ": " + failure.message(), e);
                }
                S3BackupStore.Uploaded uploaded = streamed.uploaded();
                out.printf("%s: snapshot saved to %s (%d bytes, sha256 %s%s) with manifest %s%n", client.node(),
                        target, uploaded.size(), uploaded.sha256(), streamed.source().etcdRevision().stream()
                                .mapToObj(r -> ", etcd revision " + r).findFirst().orElse(""),
                        BackupManifest.keyOf(url.key()));
            }
        }

        private void toFile(MachineClient client, Path path, PrintWriter out) throws IOException {
            // A fresh owner-only file created next to the target, then renamed over it: a snapshot holds every
            // secret in etcd, and neither a planted link nor a moment of wider permissions may expose it.
            Path target = path.toAbsolutePath();
            Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            EtcdSnapshotResult result;
            try {
                try (OutputStream file = Files.newOutputStream(partial, LinkOption.NOFOLLOW_LINKS,
                        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    result = client.etcdSnapshot(file);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            out.printf("%s: snapshot saved to %s (%d bytes%s)%n", client.node(), path, result.bytes(),
                    result.etcdRevision().stream().mapToObj(r -> ", etcd revision " + r).findFirst().orElse(""));
        }
    }

    @Command(name = "recover", description = "Uploads a snapshot for a later `bootstrap` with recovery.")
    public static final class Recover extends NodeCommand {
        @Parameters(paramLabel = "PATH")
        Path path;

        @Override
        protected void run(MachineClient client, PrintWriter out) throws Exception {
            try (InputStream file = Files.newInputStream(path)) {
                client.etcdRecover(file);
            }
            out.printf("%s: snapshot uploaded%n", client.node());
        }
    }

    @Command(name = "alarm", description = "Lists or disarms etcd alarms (NOSPACE, CORRUPT).",
            subcommands = {AlarmList.class, AlarmDisarm.class})
    public static final class Alarm {
    }

    /** Alarms, one row each, as both alarm commands print them. */
    abstract static class AlarmCommand extends ReadCommand<EtcdAlarm> {

        static EtcdAlarm alarms(List<dev.kiln.machinery.api.machine.EtcdMemberAlarm> alarms) {
            return EtcdAlarm.newBuilder().addAllMemberAlarms(alarms).build();
        }
        @Override
        protected List<String> header() {
            return List.of("MEMBER", "ALARM");
        }

        @Override
        protected List<List<String>> rows(EtcdAlarm message) {
            return message.getMemberAlarmsList().stream()
                    .map(alarm -> List.of(hex(alarm.getMemberId()), alarm.getAlarm().name())).toList();
        }
    }

    @Command(name = "list", description = "Lists the alarms raised in the node's etcd cluster.")
    public static final class AlarmList extends AlarmCommand {
        @Override
        protected EtcdAlarm read(MachineClient client) {
            return EtcdAlarm.newBuilder().addAllMemberAlarms(client.etcdAlarmList()).build();
        }

        @Override
        protected List<NodeReply<EtcdAlarm>> readEach(FanoutReads reads) {
            return reads.etcdAlarmList().stream().map(reply -> reply.map(AlarmCommand::alarms)).toList();
        }
    }

    @Command(name = "disarm", description = "Disarms every alarm raised in the node's etcd cluster and lists them.")
    public static final class AlarmDisarm extends AlarmCommand {
        @Override
        protected EtcdAlarm read(MachineClient client) {
            return EtcdAlarm.newBuilder().addAllMemberAlarms(client.etcdAlarmDisarm()).build();
        }

        @Override
        protected List<NodeReply<EtcdAlarm>> readEach(FanoutReads reads) {
            return reads.etcdAlarmDisarm().stream().map(reply -> reply.map(AlarmCommand::alarms)).toList();
        }
    }

    @Command(name = "defrag", description = "Defragments the node's etcd member; it serves nothing while this runs.")
    public static final class Defrag extends NodeCommand {
        @Override
        protected void run(MachineClient client, PrintWriter out) {
            client.etcdDefragment();
            out.printf("%s: defragmented%n", client.node());
        }
    }
}
