package dev.kiln.testenv.sim;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.ApplyConfigurationResponse;
import dev.kiln.machinery.api.machine.Bootstrap;
import dev.kiln.machinery.api.machine.BootstrapRequest;
import dev.kiln.machinery.api.machine.BootstrapResponse;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadership;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadershipRequest;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadershipResponse;
import dev.kiln.machinery.api.machine.EtcdLeaveCluster;
import dev.kiln.machinery.api.machine.EtcdLeaveClusterRequest;
import dev.kiln.machinery.api.machine.EtcdLeaveClusterResponse;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberListRequest;
import dev.kiln.machinery.api.machine.EtcdMemberListResponse;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.EtcdRecover;
import dev.kiln.machinery.api.machine.EtcdRecoverResponse;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByID;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByIDRequest;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByIDResponse;
import dev.kiln.machinery.api.machine.EtcdStatus;
import dev.kiln.machinery.api.machine.EtcdStatusResponse;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.FeaturesInfo;
import dev.kiln.machinery.api.machine.Hostname;
import dev.kiln.machinery.api.machine.HostnameResponse;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.PlatformInfo;
import dev.kiln.machinery.api.machine.Reboot;
import dev.kiln.machinery.api.machine.RebootRequest;
import dev.kiln.machinery.api.machine.RebootResponse;
import dev.kiln.machinery.api.machine.Reset;
import dev.kiln.machinery.api.machine.ResetPartitionSpec;
import dev.kiln.machinery.api.machine.ResetRequest;
import dev.kiln.machinery.api.machine.ResetResponse;
import dev.kiln.machinery.api.machine.Shutdown;
import dev.kiln.machinery.api.machine.ShutdownRequest;
import dev.kiln.machinery.api.machine.ShutdownResponse;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.api.machine.VersionResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * The machine API of one simulated machine: the same generated service node-init serves, each call turned into a
 * request to the {@link SimulatedMachine}; the methods not overridden here answer UNIMPLEMENTED (docs/simulator.md).
 */
final class SimulatedMachineService extends MachineServiceGrpc.MachineServiceImplBase {

    /** What the simulator reports as its running version: not a node-init release, so never mistaken for one. */
    public static final String VERSION = "v0.0.0-simulated";

    private final SimulatedMachine machine;

    SimulatedMachineService(SimulatedMachine machine) {
        this.machine = machine;
    }

    private Metadata metadata() {
        return Metadata.newBuilder().setHostname(machine.hostname()).build();
    }

    @Override
    public void applyConfiguration(ApplyConfigurationRequest request, StreamObserver<ApplyConfigurationResponse> reply) {
        answer(reply, () -> {
            SimulatedMachine.Applied applied = machine.applyConfiguration(request.getData().toByteArray(),
                    request.getMode(), request.getDryRun());
            return ApplyConfigurationResponse.newBuilder().addMessages(ApplyConfiguration.newBuilder()
                    .setMetadata(metadata()).setMode(applied.mode()).setModeDetails(applied.details())
                    .addAllWarnings(applied.warnings())).build();
        });
    }

    @Override
    public void version(Empty request, StreamObserver<VersionResponse> reply) {
        answer(reply, () -> {
            boolean maintenance = machine.inMaintenance();
            return VersionResponse.newBuilder().addMessages(Version.newBuilder()
                    .setMetadata(metadata())
                    .setVersion(VersionInfo.newBuilder().setTag(VERSION).setSha(VERSION).setOs("linux")
                            .setArch(System.getProperty("os.arch")).setGoVersion("simulated").setRunning(VERSION)
                            .setActiveSlot("A").setPid(ProcessHandle.current().pid()))
                    .setPlatform(PlatformInfo.newBuilder().setName("kiln-simulated")
                            .setMode(maintenance ? "maintenance" : "slot A"))
                    .setFeatures(FeaturesInfo.newBuilder().setRbac(true))).build();
        });
    }

    @Override
    public void hostname(Empty request, StreamObserver<HostnameResponse> reply) {
        answer(reply, () -> HostnameResponse.newBuilder().addMessages(
                Hostname.newBuilder().setMetadata(metadata()).setHostname(machine.hostname())).build());
    }

    @Override
    public void bootstrap(BootstrapRequest request, StreamObserver<BootstrapResponse> reply) {
        answer(reply, () -> {
            machine.bootstrap(request.getRecoverEtcd());
            return BootstrapResponse.newBuilder().addMessages(Bootstrap.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdMemberList(EtcdMemberListRequest request, StreamObserver<EtcdMemberListResponse> reply) {
        answer(reply, () -> {
            EtcdMembers.Builder members = EtcdMembers.newBuilder().setMetadata(metadata());
            for (SimulatedEtcd.Member member : machine.members()) {
                members.addLegacyMembers(member.name());
                members.addMembers(EtcdMember.newBuilder().setId(member.id()).setHostname(member.name())
                        .addPeerUrls(member.peerUrl()).addClientUrls(member.clientUrl())
                        .setIsLearner(member.learner()));
            }
            return EtcdMemberListResponse.newBuilder().addMessages(members).build();
        });
    }

    @Override
    public void etcdRemoveMemberByID(EtcdRemoveMemberByIDRequest request,
            StreamObserver<EtcdRemoveMemberByIDResponse> reply) {
        answer(reply, () -> {
            machine.removeMember(request.getMemberId());
            return EtcdRemoveMemberByIDResponse.newBuilder()
                    .addMessages(EtcdRemoveMemberByID.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdLeaveCluster(EtcdLeaveClusterRequest request, StreamObserver<EtcdLeaveClusterResponse> reply) {
        answer(reply, () -> {
            machine.leave();
            return EtcdLeaveClusterResponse.newBuilder()
                    .addMessages(EtcdLeaveCluster.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void etcdForfeitLeadership(EtcdForfeitLeadershipRequest request,
            StreamObserver<EtcdForfeitLeadershipResponse> reply) {
        answer(reply, () -> EtcdForfeitLeadershipResponse.newBuilder().addMessages(EtcdForfeitLeadership.newBuilder()
                .setMetadata(metadata()).setMember(machine.forfeitLeadership())).build());
    }

    @Override
    public void etcdStatus(Empty request, StreamObserver<EtcdStatusResponse> reply) {
        answer(reply, () -> {
            SimulatedMachine.EtcdState state = machine.etcdStatus();
            EtcdMemberStatus.Builder status = EtcdMemberStatus.newBuilder()
                    .setMemberId(state.memberId()).setClusterId(state.clusterId()).setLeader(state.leader())
                    .setProtocolVersion("3.4.23").setStorageVersion("3.4.0").setIsLearner(state.learner());
            if (state.leader() == 0) {
                status.addErrors("etcdserver: no leader");
            }
            return EtcdStatusResponse.newBuilder().addMessages(EtcdStatus.newBuilder().setMetadata(metadata())
                    .setMemberStatus(status)).build();
        });
    }

    @Override
    public StreamObserver<Data> etcdRecover(StreamObserver<EtcdRecoverResponse> reply) {
        return new StreamObserver<>() {
            private boolean failed;

            @Override
            public void onNext(Data value) {
                // the simulator keeps no data: only that a snapshot arrived counts
            }

            @Override
            public void onError(Throwable t) {
                failed = true;
            }

            @Override
            public void onCompleted() {
                if (!failed) {
                    answer(reply, () -> {
                        machine.recoverUploaded();
                        return EtcdRecoverResponse.newBuilder()
                                .addMessages(EtcdRecover.newBuilder().setMetadata(metadata())).build();
                    });
                }
            }
        };
    }

    @Override
    public void reset(ResetRequest request, StreamObserver<ResetResponse> reply) {
        answer(reply, () -> {
            machine.reset(request.getGraceful(), request.getReboot(), request.getSystemPartitionsToWipeList().stream()
                    .filter(ResetPartitionSpec::getWipe).map(ResetPartitionSpec::getLabel).toList());
            return ResetResponse.newBuilder().addMessages(Reset.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void reboot(RebootRequest request, StreamObserver<RebootResponse> reply) {
        answer(reply, () -> {
            machine.reboot();
            return RebootResponse.newBuilder().addMessages(Reboot.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void shutdown(ShutdownRequest request, StreamObserver<ShutdownResponse> reply) {
        answer(reply, () -> {
            machine.shutdown();
            return ShutdownResponse.newBuilder().addMessages(Shutdown.newBuilder().setMetadata(metadata())).build();
        });
    }

    @Override
    public void events(EventsRequest request, StreamObserver<Event> reply) {
        machine.events().follow((ServerCallStreamObserver<Event>) reply, request.getTailEvents(), this::metadata);
    }

    private interface Call<T> {
        T run() throws Refusal;
    }

    private static <T> void answer(StreamObserver<T> reply, Call<T> call) {
        T response;
        try {
            response = call.run();
        } catch (Refusal e) {
            reply.onError(e.status().asRuntimeException());
            return;
        } catch (RuntimeException e) {
            reply.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).asRuntimeException());
            return;
        }
        reply.onNext(response);
        reply.onCompleted();
    }
}
