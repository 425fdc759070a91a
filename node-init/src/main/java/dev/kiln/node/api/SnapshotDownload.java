package dev.kiln.node.api;

import com.google.protobuf.ByteString;
import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sends a spooled snapshot chunk by chunk, only while the client's stream is ready for more, then deletes the spool;
 * a cancelled call deletes it too.
 */
final class SnapshotDownload {

    private final ServerCallStreamObserver<Data> reply;
    private final Path spool;
    private final Metadata metadata;
    private final int chunkBytes;
    private FileChannel in;
    private boolean finished;

    private SnapshotDownload(ServerCallStreamObserver<Data> reply, Path spool, Metadata metadata, int chunkBytes) {
        this.reply = reply;
        this.spool = spool;
        this.metadata = metadata;
        this.chunkBytes = chunkBytes;
    }

    /** Must be called from the call's handler, before it returns: gRPC takes the readiness handler only then. */
    static void start(ServerCallStreamObserver<Data> reply, Path spool, Metadata metadata, int chunkBytes)
            throws IOException {
        SnapshotDownload download = new SnapshotDownload(reply, spool, metadata, chunkBytes);
        download.in = FileChannel.open(spool, StandardOpenOption.READ);
        reply.setOnCancelHandler(download::finish);
        reply.setOnReadyHandler(download::sendWhileReady);
        download.sendWhileReady();
    }

    private synchronized void sendWhileReady() {
        if (finished) {
            return;
        }
        try {
            ByteBuffer chunk = ByteBuffer.allocate(chunkBytes);
            while (reply.isReady()) {
                chunk.clear();
                int read = in.read(chunk);
                if (read < 0) {
                    finish();
                    reply.onCompleted();
                    return;
                }
                chunk.flip();
                reply.onNext(Data.newBuilder().setMetadata(metadata).setBytes(ByteString.copyFrom(chunk)).build());
            }
        } catch (IOException e) {
            finish();
            reply.onError(Status.INTERNAL.withDescription("reading the spooled snapshot on EPHEMERAL failed: "
                    + e.getMessage()).asRuntimeException());
        }
    }

    private synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            in.close();
            Files.deleteIfExists(spool);
        } catch (IOException e) {
            // a spool left behind is removed by a later snapshot's spool
        }
    }
}
