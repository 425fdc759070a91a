package dev.kiln.node.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import io.etcd.jetcd.maintenance.SnapshotResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/** Membership and maintenance calls on an etcd cluster, each bounded by a deadline. */
public final class EtcdAdmin implements AutoCloseable {

    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
    // Defragmenting rewrites the whole database file, so it takes as long as copying the database.
    private static final Duration DEFRAGMENT_DEADLINE = Duration.ofMinutes(5);

    private final Client client;

    public EtcdAdmin(Client client) {
        this.client = client;
    }

    public EtcdClusterView members() throws EtcdCallException {
        MemberListResponse response = await(client.getClusterClient().listMember(), "list members");
        return new EtcdClusterView(response.getHeader().getClusterId(), response.getHeader().getMemberId(),
                response.getMembers().stream().map(EtcdAdmin::member).toList());
    }

    public EtcdMember addLearner(URI peerUrl) throws EtcdCallException {
        return member(await(client.getClusterClient().addMember(List.of(peerUrl), true), "add learner")
                .getMember());
    }

    public void promote(long memberId) throws EtcdCallException {
        await(client.getClusterClient().promoteMember(memberId), "promote member " + Long.toHexString(memberId));
    }

    public void remove(long memberId) throws EtcdCallException {
        await(client.getClusterClient().removeMember(memberId), "remove member " + Long.toHexString(memberId));
    }

    public StatusResponse status(URI endpoint) throws EtcdCallException {
        return await(client.getMaintenanceClient().statusMember(endpoint.toString()), "status of " + endpoint);
    }

    public void moveLeader(long toMemberId) throws EtcdCallException {
        await(client.getMaintenanceClient().moveLeader(toMemberId), "move leader to " + Long.toHexString(toMemberId));
    }

    /** Defragments one member's backend; etcd blocks that member's reads and writes while it runs. */
    public void defragment(URI endpoint) throws EtcdCallException {
        await(client.getMaintenanceClient().defragmentMember(endpoint.toString()), "defragment " + endpoint,
                DEFRAGMENT_DEADLINE);
    }

    /**
     * Streams a snapshot into {@code out}; before the first byte, {@code onRevision} gets the revision the snapshot
     * holds: from etcd's snapshot response header where etcd fills it in, else (etcd 3.4 leaves it empty) this
     * member's revision read just before the snapshot, which the snapshot holds at least, and exactly when nothing
     * was written in that moment. Returns the bytes written.
     */
    public long snapshot(OutputStream out, LongConsumer onRevision) throws EtcdCallException {
        long before = await(client.getKVClient().get(bytes("kiln/revision-probe"),
                GetOption.builder().withSerializable(true).withCountOnly(true).build()), "read the revision")
                .getHeader().getRevision();
        CompletableFuture<Long> done = new CompletableFuture<>();
        client.getMaintenanceClient().snapshot(new StreamObserver<SnapshotResponse>() {
            private long written;

            @Override
            public void onNext(SnapshotResponse response) {
                if (done.isDone()) {
                    return;
                }
                try {
                    if (written == 0) {
                        long reported = response.getHeader().getRevision();
                        onRevision.accept(reported > 0 ? reported : before);
                    }
                    response.getBlob().writeTo(out);
                    written += response.getBlob().size();
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(written);
            }
        });
        return await(done, "snapshot", Duration.ofMinutes(5));
    }

    public void put(String key, String value) throws EtcdCallException {
        await(client.getKVClient().put(bytes(key), bytes(value)), "put " + key);
    }

    public java.util.Optional<String> get(String key) throws EtcdCallException {
        var kvs = await(client.getKVClient().get(bytes(key)), "get " + key).getKvs();
        return kvs.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(kvs.get(0).getValue().toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static EtcdMember member(Member member) {
        return new EtcdMember(member.getId(), member.getName() == null ? "" : member.getName(),
                member.getPeerURIs(), member.getClientURIs(), member.isLearner());
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws EtcdCallException {
        return await(future, what, CALL_DEADLINE);
    }

    private static <T> T await(CompletableFuture<T> future, String what, Duration deadline) throws EtcdCallException {
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EtcdCallException(what, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EtcdCallException(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdCallException(what, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
