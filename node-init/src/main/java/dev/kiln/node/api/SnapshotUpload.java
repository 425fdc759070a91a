package dev.kiln.node.api;

import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.EtcdRecover;
import dev.kiln.machinery.api.machine.EtcdRecoverResponse;
import dev.kiln.node.etcd.EtcdNode;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Receives an EtcdRecover upload into a temp file and hands it to the etcd node only once it is complete. */
final class SnapshotUpload implements StreamObserver<Data> {

    private final EtcdNode node;
    private final StreamObserver<EtcdRecoverResponse> reply;
    private final Supplier<Metadata> metadata;
    private Path partial;
    private boolean failed;

    SnapshotUpload(EtcdNode node, StreamObserver<EtcdRecoverResponse> reply, Supplier<Metadata> metadata) {
        this.node = node;
        this.reply = reply;
        this.metadata = metadata;
    }

    @Override
    public void onNext(Data chunk) {
        if (failed) {
            return;
        }
        try {
            if (partial == null) {
                partial = Files.createTempFile("kiln-etcd-upload", ".part");
            }
            Files.write(partial, chunk.getBytes().toByteArray(), java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            failed = true;
            reply.onError(Status.INTERNAL.withDescription("storing snapshot: " + e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public void onError(Throwable t) {
        discard();
    }

    @Override
    public void onCompleted() {
        if (failed) {
            discard();
            return;
        }
        try (var in = partial == null ? new ByteArrayInputStream(new byte[0]) : Files.newInputStream(partial)) {
            node.acceptSnapshot(in);
            reply.onNext(EtcdRecoverResponse.newBuilder()
                    .addMessages(EtcdRecover.newBuilder().setMetadata(metadata.get())).build());
            reply.onCompleted();
        } catch (IOException e) {
            reply.onError(Status.INTERNAL.withDescription("storing snapshot: " + e.getMessage()).asRuntimeException());
        } finally {
            discard();
        }
    }

    private void discard() {
        if (partial != null) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // A temp file left behind is harmless; the next upload uses a new one.
            }
        }
    }
}
