package dev.kiln.node.api;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.Rollback;
import dev.kiln.machinery.api.machine.RollbackRequest;
import dev.kiln.machinery.api.machine.RollbackResponse;
import dev.kiln.machinery.api.machine.Upgrade;
import dev.kiln.machinery.api.machine.UpgradeRequest;
import dev.kiln.machinery.api.machine.UpgradeResponse;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.ApplyConfigurationResponse;
import dev.kiln.machinery.api.machine.Bootstrap;
import dev.kiln.machinery.api.machine.BootstrapRequest;
import dev.kiln.machinery.api.machine.BootstrapResponse;
import dev.kiln.machinery.api.machine.EtcdAlarm;
import dev.kiln.machinery.api.machine.EtcdAlarmDisarm;
import dev.kiln.machinery.api.machine.EtcdAlarmDisarmResponse;
import dev.kiln.machinery.api.machine.EtcdAlarmListResponse;
import dev.kiln.machinery.api.machine.EtcdDefragment;
import dev.kiln.machinery.api.machine.EtcdDefragmentResponse;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadership;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadershipRequest;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadershipResponse;
import dev.kiln.machinery.api.machine.EtcdLeaveCluster;
import dev.kiln.machinery.api.machine.EtcdLeaveClusterRequest;
import dev.kiln.machinery.api.machine.EtcdLeaveClusterResponse;
import dev.kiln.machinery.api.machine.EtcdMemberListRequest;
import dev.kiln.machinery.api.machine.EtcdMemberListResponse;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.EtcdRecover;
import dev.kiln.machinery.api.machine.EtcdRecoverResponse;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByID;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByIDRequest;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByIDResponse;
import dev.kiln.machinery.api.machine.EtcdSnapshotRequest;
import dev.kiln.machinery.api.machine.EtcdMemberAlarm;
import dev.kiln.machinery.api.machine.EtcdStatus;
import dev.kiln.machinery.api.machine.EtcdStatusResponse;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.FeaturesInfo;
import dev.kiln.machinery.api.machine.Hostname;
import dev.kiln.machinery.api.machine.HostnameResponse;
import dev.kiln.machinery.api.machine.LogsRequest;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.MachineStatusEvent;
import dev.kiln.machinery.api.machine.PlatformInfo;
import dev.kiln.machinery.api.machine.Reboot;
import dev.kiln.machinery.api.machine.RebootRequest;
import dev.kiln.machinery.api.machine.RebootResponse;
import dev.kiln.machinery.api.machine.Reset;
import dev.kiln.machinery.api.machine.ResetPartitionSpec;
import dev.kiln.machinery.api.machine.ResetRequest;
import dev.kiln.machinery.api.machine.ResetResponse;
import dev.kiln.machinery.api.machine.ServiceEvents;
import dev.kiln.machinery.api.machine.ServiceHealth;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.ServiceList;
import dev.kiln.machinery.api.machine.ServiceListResponse;
import dev.kiln.machinery.api.machine.ServiceStateEvent;
import dev.kiln.machinery.api.machine.Shutdown;
import dev.kiln.machinery.api.machine.ShutdownRequest;
import dev.kiln.machinery.api.machine.ShutdownResponse;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionResponse;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.NodeRefusal.Reason;
import dev.kiln.node.config.ConfigApplier;
import dev.kiln.node.etcd.EtcdClusterView;
import dev.kiln.node.etcd.EtcdNode;
import dev.kiln.node.etcd.MemberAlarm;
import dev.kiln.node.supervisor.EventLog;
import dev.kiln.node.supervisor.Health;
import dev.kiln.node.supervisor.MachineStageEvent;
import dev.kiln.node.supervisor.ServiceEvent;
import dev.kiln.node.supervisor.ServiceSnapshot;
import dev.kiln.machinery.client.EtcdSnapshotHeaders;
import dev.kiln.machinery.client.RuntimeEvents;
import dev.kiln.node.etcd.EtcdStorageVersion;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

/** The machine API: translates each call into a request to the machine and its refusals into gRPC statuses. */
public final class MachineServiceImpl extends MachineServiceGrpc.MachineServiceImplBase {

    private static final int CHUNK_BYTES = 64 * 1024;
    // Percent-encoded in a header, 400 characters stay well inside gRPC's 8 KiB header budget.
    static final int MAX_DESCRIPTION_CHARS = 400;
    private static final Pattern SERVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final MachineControl machine;
    private final FollowStreams follows = new FollowStreams();
    private final ApplyPrecheck precheck = new ApplyPrecheck();

    public MachineServiceImpl(MachineControl machine) {
        this.machine = machine;
    }

    private Metadata metadata() {
        return Metadata.newBuilder().setHostname(machine.hostname()).build();
    }

    // ---- config

    @Override
    public void applyConfiguration(ApplyConfigurationRequest request, StreamObserver<ApplyConfigurationResponse> reply) {
        Optional<Status> refused = admitApply(request.getData(), Context.current());
        if (refused.isPresent()) {
            reply.onError(refused.get().asRuntimeException());
            return;
        }
        answer(reply, () -> {
            Duration tryTimeout = request.hasTryModeTimeout()
                    ? Duration.ofSeconds(request.getTryModeTimeout().getSeconds(), request.getTryModeTimeout().getNanos())
                    : null;
            var applied = machine.applyConfiguration(request.getData().toByteArray(), request.getMode(),
                    request.getDryRun(), tryTimeout);
            return ApplyConfigurationResponse.newBuilder().addMessages(ApplyConfiguration.newBuilder()
                    .setMetadata(metadata())
                    .setMode(applied.plan().mode())
                    .setModeDetails((request.getDryRun() ? "dry run: " : "") + applied.plan().details())
                    .addAllWarnings(applied.warnings())).build();
        });
    }

    /** Size first, then validation outside the apply lock; a caller gone meanwhile gets no further. */
    private Optional<Status> admitApply(ByteString data, Context call) {
        if (data.size() > ConfigApplier.MAX_CONFIG_BYTES) {
            return Optional.of(Status.INVALID_ARGUMENT.withDescription(ConfigApplier.tooLarge(data.size())));
        }
        if (call.isCancelled()) {
            return Optional.of(Contexts.statusFromCancelled(call));
        }
        try {
            Optional<NodeRefusal> invalid = precheck.check(data.toByteArray(), call);
            if (invalid.isPresent()) {
                return Optional.of(statusOf(invalid.get()));
            }
        } catch (CancellationException e) {
            return Optional.of(Contexts.statusFromCancelled(call));
        }
        return call.isCancelled() ? Optional.of(Contexts.statusFromCancelled(call)) : Optional.empty();
    }

    @Override
    public void version(Empty request, StreamObserver<VersionResponse> reply) {
        answer(reply, () -> {
            VersionInfo version = machine.version();
            return VersionResponse.newBuilder().addMessages(Version.newBuilder()
                    .setMetadata(metadata())
                    .setVersion(dev.kiln.machinery.api.machine.VersionInfo.newBuilder()
                            .setTag(version.tag())
                            .setSha(version.running())
                            .setOs("linux")
                            .setArch(System.getProperty("os.arch"))
                            .setGoVersion("java " + System.getProperty("java.version"))
                            .setRunning(version.running())
                            .setActiveSlot(version.activeSlot())
                            .setTrial(version.trial())
                            .setPid(ProcessHandle.current().pid())
                            .setLastRollback(version.lastRollback() == null ? "" : version.lastRollback()))
                    .setPlatform(PlatformInfo.newBuilder().setName(platformName())
                            .setMode(version.maintenance() ? "maintenance" : "slot " + version.activeSlot()))
                    .setFeatures(FeaturesInfo.newBuilder().setRbac(true))).build();
        });
    }

    /** As PID 1 node-init is the machine's init; otherwise a process that plays a machine. */
    static String platformName() {
        return ProcessHandle.current().pid() == 1 ? "kiln-init" : "kiln-process";
    }

    @Override
    public void hostname(Empty request, StreamObserver<HostnameResponse> reply) {
        answer(reply, () -> HostnameResponse.newBuilder().addMessages(
                Hostname.newBuilder().setMetadata(metadata()).setHostname(machine.hostname())).build());
    }

    // ---- etcd

    private EtcdNode etcd() throws NodeRefusal {
        if (machine.inMaintenance()) {
            throw new NodeRefusal(Reason.NOT_READY, "node is in maintenance mode: apply a config first");
        }
        Optional<String> unusable = machine.unusableConfig();
        if (unusable.isPresent()) {
            throw new NodeRefusal(Reason.NOT_READY, unusable.get() + "; reset the node or apply a new config");
        }
        boolean controlPlane = machine.config().map(c -> c.machine().isControlPlane()).orElse(false);
        if (!controlPlane) {
            throw new NodeRefusal(Reason.UNSUPPORTED_ON_THIS_NODE, "etcd runs only on control-plane nodes");
        }
        if (machine.config().get().cluster().etcd() == null) {
            throw new NodeRefusal(Reason.INVALID_REQUEST, "the config has no cluster.etcd section");
        }
        return machine.etcd().orElseThrow(() -> new NodeRefusal(Reason.NOT_READY, "etcd is not prepared yet"));
    }

    @Override
    public void bootstrap(BootstrapRequest request, StreamObserver<BootstrapResponse> reply) {
        answer(reply, () -> {
            etcd().bootstrap(request.getRecoverEtcd(), request.getRecoverSkipHashCheck());
            return BootstrapResponse.newBuilder().addMessages(Bootstrap.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdMemberList(EtcdMemberListRequest request, StreamObserver<EtcdMemberListResponse> reply) {
        answer(reply, () -> {
            EtcdClusterView view = etcd().members(request.getQueryLocal());
            EtcdMembers.Builder members = EtcdMembers.newBuilder().setMetadata(metadata());
            for (var member : view.members()) {
                members.addLegacyMembers(member.name());
                members.addMembers(dev.kiln.machinery.api.machine.EtcdMember.newBuilder()
                        .setId(member.id())
                        .setHostname(member.name())
                        .addAllPeerUrls(member.peerUrls().stream().map(Object::toString).toList())
                        .addAllClientUrls(member.clientUrls().stream().map(Object::toString).toList())
                        .setIsLearner(member.learner()));
            }
            return EtcdMemberListResponse.newBuilder().addMessages(members).build();
        });
    }

    @Override
    public void etcdRemoveMemberByID(EtcdRemoveMemberByIDRequest request,
            StreamObserver<EtcdRemoveMemberByIDResponse> reply) {
        answer(reply, () -> {
            etcd().removeMember(request.getMemberId());
            return EtcdRemoveMemberByIDResponse.newBuilder()
                    .addMessages(EtcdRemoveMemberByID.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdLeaveCluster(EtcdLeaveClusterRequest request, StreamObserver<EtcdLeaveClusterResponse> reply) {
        answer(reply, () -> {
            etcd().leave();
            return EtcdLeaveClusterResponse.newBuilder()
                    .addMessages(EtcdLeaveCluster.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdForfeitLeadership(EtcdForfeitLeadershipRequest request,
            StreamObserver<EtcdForfeitLeadershipResponse> reply) {
        answer(reply, () -> {
            String member = etcd().forfeitLeadership();
            return EtcdForfeitLeadershipResponse.newBuilder().addMessages(
                    EtcdForfeitLeadership.newBuilder().setMetadata(metadata()).setMember(member)).build();
        });
    }

    @Override
    public void etcdStatus(Empty request, StreamObserver<EtcdStatusResponse> reply) {
        answer(reply, () -> {
            EtcdNode.MemberStatus status = etcd().status();
            var etcdStatus = status.status();
            return EtcdStatusResponse.newBuilder().addMessages(EtcdStatus.newBuilder()
                    .setMetadata(metadata())
                    .setMemberStatus(EtcdMemberStatus.newBuilder()
                            .setMemberId(status.memberId())
                            .setClusterId(status.clusterId())
                            .setProtocolVersion(etcdStatus.getVersion())
                            .setStorageVersion(EtcdStorageVersion.fromServerVersion(etcdStatus.getVersion()))
                            .setDbSize(etcdStatus.getDbSize())
                            .setDbSizeInUse(etcdStatus.getDbSizeInUse())
                            .setLeader(etcdStatus.getLeader())
                            .setRaftIndex(etcdStatus.getRaftIndex())
                            .setRaftTerm(etcdStatus.getRaftTerm())
                            .setRaftAppliedIndex(etcdStatus.getRaftAppliedIndex())
                            .addAllErrors(etcdStatus.getErrorList())
                            .setIsLearner(etcdStatus.isLearner()))).build();
        });
    }

    @Override
    public void etcdAlarmList(Empty request, StreamObserver<EtcdAlarmListResponse> reply) {
        answer(reply, () -> EtcdAlarmListResponse.newBuilder().addMessages(EtcdAlarm.newBuilder()
                .setMetadata(metadata()).addAllMemberAlarms(memberAlarms(etcd().alarms()))).build());
    }

    @Override
    public void etcdAlarmDisarm(Empty request, StreamObserver<EtcdAlarmDisarmResponse> reply) {
        answer(reply, () -> EtcdAlarmDisarmResponse.newBuilder().addMessages(EtcdAlarmDisarm.newBuilder()
                .setMetadata(metadata()).addAllMemberAlarms(memberAlarms(etcd().disarmAlarms()))).build());
    }

    @Override
    public void etcdDefragment(Empty request, StreamObserver<EtcdDefragmentResponse> reply) {
        answer(reply, () -> {
            etcd().defragment();
            return EtcdDefragmentResponse.newBuilder()
                    .addMessages(EtcdDefragment.newBuilder().setMetadata(metadata())).build();
        });
    }

    // etcd's alarm numbers are the machine API's: NONE 0, NOSPACE 1, CORRUPT 2.
    private static List<EtcdMemberAlarm> memberAlarms(List<MemberAlarm> alarms) {
        return alarms.stream().map(alarm -> EtcdMemberAlarm.newBuilder()
                .setMemberId(alarm.memberId())
                .setAlarmValue(alarm.type().getNumber())
                .build()).toList();
    }

    @Override
    public void etcdSnapshot(EtcdSnapshotRequest request, StreamObserver<Data> reply) {
        try {
            EtcdNode node = etcd();
            io.grpc.Metadata headers = ResponseHeaders.current();
            Path spool = node.spoolSnapshot(revision -> headers.put(EtcdSnapshotHeaders.REVISION,
                    Long.toString(revision)));
            SnapshotDownload.start((ServerCallStreamObserver<Data>) reply, spool, metadata(), CHUNK_BYTES);
        } catch (IOException e) {
            reply.onError(bounded(Status.INTERNAL, "opening the spooled snapshot failed: " + e.getMessage())
                    .asRuntimeException());
        } catch (NodeRefusal e) {
            reply.onError(statusOf(e).asRuntimeException());
        } catch (RuntimeException e) {
            reply.onError(bounded(Status.INTERNAL, String.valueOf(e.getMessage())).asRuntimeException());
        }
    }

    @Override
    public StreamObserver<Data> etcdRecover(StreamObserver<EtcdRecoverResponse> reply) {
        EtcdNode node;
        try {
            node = etcd();
        } catch (NodeRefusal e) {
            reply.onError(statusOf(e).asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(Data value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        return new SnapshotUpload(node.recoverSnapshot(), reply, this::metadata);
    }

    // ---- lifecycle

    @Override
    public void reset(ResetRequest request, StreamObserver<ResetResponse> reply) {
        answer(reply, () -> {
            List<String> labels = request.getSystemPartitionsToWipeList().stream()
                    .filter(ResetPartitionSpec::getWipe).map(ResetPartitionSpec::getLabel).toList();
            machine.reset(request.getGraceful(), request.getReboot(), labels);
            return ResetResponse.newBuilder().addMessages(Reset.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void reboot(RebootRequest request, StreamObserver<RebootResponse> reply) {
        // DEFAULT, POWERCYCLE and FORCE reboot alike: a Kiln node has no workloads to drain (docs/machine-api.md).
        answer(reply, () -> {
            machine.reboot();
            return RebootResponse.newBuilder().addMessages(Reboot.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void upgrade(UpgradeRequest request, StreamObserver<UpgradeResponse> reply) {
        answer(reply, () -> {
            String ack = machine.upgrade(request.getImage(), request.getStage(), request.getPreserve(),
                    request.getForce());
            return UpgradeResponse.newBuilder().addMessages(Upgrade.newBuilder().setMetadata(metadata()).setAck(ack))
                    .build();
        });
    }

    @Override
    public void rollback(RollbackRequest request, StreamObserver<RollbackResponse> reply) {
        answer(reply, () -> {
            machine.rollback();
            return RollbackResponse.newBuilder().addMessages(Rollback.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void shutdown(ShutdownRequest request, StreamObserver<ShutdownResponse> reply) {
        answer(reply, () -> {
            machine.shutdown();
            return ShutdownResponse.newBuilder().addMessages(Shutdown.newBuilder().setMetadata(metadata())).build();
        });
    }

    // ---- services, logs, events

    @Override
    public void serviceList(Empty request, StreamObserver<ServiceListResponse> reply) {
        answer(reply, () -> {
            ServiceList.Builder list = ServiceList.newBuilder().setMetadata(metadata());
            for (ServiceSnapshot service : machine.supervisor().list()) {
                ServiceEvents.Builder history = ServiceEvents.newBuilder();
                for (ServiceEvent event : service.recentEvents()) {
                    history.addEvents(dev.kiln.machinery.api.machine.ServiceEvent.newBuilder()
                            .setMsg(event.message()).setState(event.state().wireName()).setTs(timestamp(event.at())));
                }
                list.addServices(ServiceInfo.newBuilder()
                        .setId(service.id())
                        .setState(service.state().wireName())
                        .setEvents(history)
                        .setHealth(health(service.health(), service.healthChangedAt())));
            }
            list.addServices(upgradeService());
            return ServiceListResponse.newBuilder().addMessages(list).build();
        });
    }

    /** The boot slot's standing as a service entry: health unknown while on trial; the message names any rollback. */
    private ServiceInfo upgradeService() throws java.io.IOException {
        VersionInfo version = machine.version();
        String message = version.trial() ? "on trial: " + version.tag() + " not yet confirmed healthy"
                : version.lastRollback() != null ? version.lastRollback()
                : "running " + version.tag() + " from slot " + version.activeSlot();
        return ServiceInfo.newBuilder().setId("upgrade").setState(version.trial() ? "Waiting" : "Finished")
                .setHealth(dev.kiln.machinery.api.machine.ServiceHealth.newBuilder().setUnknown(version.trial())
                        .setHealthy(!version.trial()).setLastMessage(message))
                .build();
    }

    @Override
    public void logs(LogsRequest request, StreamObserver<Data> reply) {
        ServerCallStreamObserver<Data> stream = (ServerCallStreamObserver<Data>) reply;
        if (!SERVICE_ID.matcher(request.getId()).matches()) {
            reply.onError(Status.INVALID_ARGUMENT.withDescription("id: a service id is 1 to 63 letters, digits, "
                    + "'.', '_' or '-' (got " + request.getId().length() + " characters)").asRuntimeException());
            return;
        }
        if (machine.supervisor().snapshot(request.getId()).isEmpty()) {
            reply.onError(Status.NOT_FOUND.withDescription("no service " + request.getId()).asRuntimeException());
            return;
        }
        var log = machine.supervisor().log(request.getId());
        int tail = request.getTailLines() < 0 ? Integer.MAX_VALUE : request.getTailLines() == 0 && !request.getFollow()
                ? Integer.MAX_VALUE : request.getTailLines();
        if (!request.getFollow()) {
            for (String line : log.tail(tail)) {
                reply.onNext(Data.newBuilder().setMetadata(metadata())
                        .setBytes(ByteString.copyFromUtf8(line + "\n")).build());
            }
            reply.onCompleted();
            return;
        }
        follows.open(stream, () -> log.follow(tail), line -> Data.newBuilder().setMetadata(metadata())
                .setBytes(ByteString.copyFromUtf8(line + "\n")).build());
    }

    @Override
    public void events(EventsRequest request, StreamObserver<Event> reply) {
        ServerCallStreamObserver<Event> stream = (ServerCallStreamObserver<Event>) reply;
        int tail = request.getTailEvents() < 0 ? Integer.MAX_VALUE : request.getTailEvents();
        follows.open(stream, () -> machine.events().follow(tail), this::event);
    }

    private Event event(EventLog.Entry entry) {
        Any data;
        if (entry.event() instanceof ServiceEvent service) {
            data = RuntimeEvents.pack(ServiceStateEvent.newBuilder()
                    .setService(service.serviceId())
                    .setActionValue(service.state().wireValue())
                    .setMessage(service.message())
                    .setHealth(health(service.health(), service.at())).build());
        } else {
            MachineStageEvent stage = (MachineStageEvent) entry.event();
            data = RuntimeEvents.pack(MachineStatusEvent.newBuilder()
                    .setStageValue(stage.stage().wireValue())
                    .setStatus(MachineStatusEvent.MachineStatus.newBuilder()
                            .setReady(stage.stage() == dev.kiln.node.supervisor.MachineStage.RUNNING)
                            .addUnmetConditions(MachineStatusEvent.MachineStatus.UnmetCondition.newBuilder()
                                    .setName("message").setReason(stage.message())))
                    .build());
        }
        return Event.newBuilder().setMetadata(metadata()).setId(entry.id()).setData(data).build();
    }

    private static ServiceHealth health(Health health, Instant changedAt) {
        ServiceHealth.Builder builder = ServiceHealth.newBuilder()
                .setUnknown(health.isUnknown())
                .setHealthy(health.isHealthy())
                .setLastMessage(health.message());
        if (changedAt != null) {
            builder.setLastChange(timestamp(changedAt));
        }
        return builder.build();
    }

    private static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    // ---- plumbing

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> void answer(StreamObserver<T> reply, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (NodeRefusal e) {
            reply.onError(statusOf(e).asRuntimeException());
            return;
        } catch (Exception e) {
            reply.onError(bounded(Status.INTERNAL, String.valueOf(e.getMessage())).asRuntimeException());
            return;
        }
        reply.onNext(response);
        reply.onCompleted();
    }

    static Status statusOf(NodeRefusal refusal) {
        Status status;
        switch (refusal.reason()) {
            case UNSUPPORTED_ON_THIS_NODE: status = Status.UNIMPLEMENTED; break;
            case INVALID_REQUEST: status = Status.INVALID_ARGUMENT; break;
            case NOT_READY: status = Status.FAILED_PRECONDITION; break;
            case ALREADY_EXISTS: status = Status.ALREADY_EXISTS; break;
            case NOT_FOUND: status = Status.NOT_FOUND; break;
            case PRECONDITION_FAILED: status = Status.FAILED_PRECONDITION; break;
            case BUSY: status = Status.ABORTED; break;
            default: status = Status.INTERNAL; break;
        }
        return bounded(status, refusal.getMessage());
    }

    /** Caller-supplied text can end up in an error; a reply header must stay small whatever it echoes. */
    static Status bounded(Status status, String description) {
        return status.withDescription(description.length() <= MAX_DESCRIPTION_CHARS ? description
                : description.substring(0, MAX_DESCRIPTION_CHARS) + "... (" + description.length() + " characters)");
    }
}
