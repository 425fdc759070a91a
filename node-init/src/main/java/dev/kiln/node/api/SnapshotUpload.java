package dev.kiln.node.api;

import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.EtcdRecover;
import dev.kiln.machinery.api.machine.EtcdRecoverResponse;
import dev.kiln.node.etcd.RecoverSnapshot;
import dev.kiln.node.etcd.SnapshotFormat;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.function.Supplier;

/** Receives an EtcdRecover upload chunk by chunk; a refused or broken upload leaves no file behind. */
final class SnapshotUpload implements StreamObserver<Data> {

    private final RecoverSnapshot snapshot;
    private final StreamObserver<EtcdRecoverResponse> reply;
    private final Supplier<Metadata> metadata;
    private RecoverSnapshot.Upload upload;
    private boolean ended;

    SnapshotUpload(RecoverSnapshot snapshot, StreamObserver<EtcdRecoverResponse> reply, Supplier<Metadata> metadata) {
        this.snapshot = snapshot;
        this.reply = reply;
        this.metadata = metadata;
    }

    @Override
    public void onNext(Data chunk) {
        if (ended) {
            return;
        }
        try {
            if (upload == null) {
                upload = snapshot.begin();
            }
            judge(upload.write(chunk.getBytes().toByteArray()));
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("storing the snapshot on EPHEMERAL failed: "
                    + e.getClass().getSimpleName()));
        }
    }

    @Override
    public void onError(Throwable t) {
        ended = true;
        discard();
    }

    @Override
    public void onCompleted() {
        if (ended) {
            return;
        }
        try {
            if (upload == null) {
                fail(Status.INVALID_ARGUMENT.withDescription("the upload is empty: send an etcd snapshot"));
                return;
            }
            if (judge(upload.commit())) {
                ended = true;
                discard();
                reply.onNext(EtcdRecoverResponse.newBuilder()
                        .addMessages(EtcdRecover.newBuilder().setMetadata(metadata.get())).build());
                reply.onCompleted();
            }
        } catch (IOException e) {
            fail(Status.INTERNAL.withDescription("storing the snapshot on EPHEMERAL failed: "
                    + e.getClass().getSimpleName()));
        }
    }

    private boolean judge(SnapshotFormat.Verdict verdict) {
        if (verdict instanceof SnapshotFormat.Verdict.Refused refused) {
            fail(Status.INVALID_ARGUMENT.withDescription(refused.reason()));
            return false;
        }
        return true;
    }

    private void fail(Status status) {
        ended = true;
        discard();
        reply.onError(status.asRuntimeException());
    }

    private void discard() {
        if (upload != null) {
            try {
                upload.close();
            } catch (IOException ignored) {
                // The partial file is in EPHEMERAL, which a reset wipes; nothing points at it.
            }
        }
    }
}
