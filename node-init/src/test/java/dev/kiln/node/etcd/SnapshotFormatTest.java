package dev.kiln.node.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SnapshotFormatTest {

    private static final int PAGE = 4096;

    private static byte[] database(int pages) {
        ByteBuffer db = ByteBuffer.allocate(pages * PAGE).order(ByteOrder.LITTLE_ENDIAN);
        db.putShort(8, (short) 0x04);
        db.putInt(16, 0xED0CDAED);
        db.putInt(20, 2);
        db.putInt(24, PAGE);
        for (int i = 64; i < db.capacity(); i++) {
            db.put(i, (byte) (i * 31));
        }
        return db.array();
    }

    private static byte[] withHash(byte[] db) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(db);
        byte[] snapshot = Arrays.copyOf(db, db.length + hash.length);
        System.arraycopy(hash, 0, snapshot, db.length, hash.length);
        return snapshot;
    }

    /** Feeds the bytes in chunks of the given size and returns the last verdict. */
    private static SnapshotFormat.Verdict feed(byte[] bytes, int chunk, long maxBytes) {
        SnapshotFormat format = new SnapshotFormat(maxBytes);
        for (int at = 0; at < bytes.length; at += chunk) {
            SnapshotFormat.Verdict verdict = format.accept(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk)));
            if (verdict instanceof SnapshotFormat.Verdict.Refused) {
                return verdict;
            }
        }
        return format.finish();
    }

    private static String refusal(SnapshotFormat.Verdict verdict) {
        return assertInstanceOf(SnapshotFormat.Verdict.Refused.class, verdict).reason();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 31, 32, 33, 512, 4096, 65536, 1 << 20})
    void aSnapshotWithEtcdsHashIsAcceptedWhateverTheChunking(int chunk) throws Exception {
        assertInstanceOf(SnapshotFormat.Verdict.Acceptable.class, feed(withHash(database(4)), chunk, 1 << 20));
    }

    @Test
    void aDatabaseCopiedWithoutAHashIsAccepted() {
        assertInstanceOf(SnapshotFormat.Verdict.Acceptable.class, feed(database(4), 1000, 1 << 20));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 32, 4096})
    void aSnapshotWhoseHashDoesNotMatchIsRefused(int chunk) throws Exception {
        byte[] snapshot = withHash(database(4));
        snapshot[5000] ^= 1;

        assertTrue(refusal(feed(snapshot, chunk, 1 << 20)).contains("sha256"));
    }

    @Test
    void aTruncatedSnapshotIsRefused() throws Exception {
        byte[] snapshot = withHash(database(4));

        assertTrue(refusal(feed(Arrays.copyOf(snapshot, snapshot.length - 100), 4096, 1 << 20))
                .contains("truncated"));
    }

    @Test
    void bytesWithoutTheBboltMagicAreRefusedAtTheFirstChunk() {
        byte[] garbage = new byte[64 * 1024];
        Arrays.fill(garbage, (byte) 7);
        SnapshotFormat format = new SnapshotFormat(1 << 20);

        assertTrue(refusal(format.accept(Arrays.copyOf(garbage, 4096))).contains("bbolt"));
    }

    @Test
    void aWrongBboltVersionIsRefused() {
        byte[] db = database(4);
        db[20] = 1;

        assertTrue(refusal(feed(db, 4096, 1 << 20)).contains("bbolt"));
    }

    @Test
    void anUploadLargerThanTheBoundIsRefusedWhileStreaming() {
        SnapshotFormat format = new SnapshotFormat(4 * PAGE);
        byte[] db = database(8);

        assertInstanceOf(SnapshotFormat.Verdict.Acceptable.class, format.accept(Arrays.copyOf(db, 4 * PAGE)));
        assertTrue(refusal(format.accept(Arrays.copyOfRange(db, 4 * PAGE, 5 * PAGE))).contains(String.valueOf(4 * PAGE)));
    }

    @Test
    void anEmptyOrTinyUploadIsRefused() {
        assertTrue(refusal(new SnapshotFormat(1 << 20).finish()).contains("too short"));
        SnapshotFormat tiny = new SnapshotFormat(1 << 20);
        tiny.accept(new byte[10]);
        assertTrue(refusal(tiny.finish()).contains("too short"));
    }

    @Test
    void aRefusalSticksForTheRestOfTheUpload() {
        SnapshotFormat format = new SnapshotFormat(1 << 20);
        SnapshotFormat.Verdict first = format.accept(new byte[4096]);

        assertEquals(first, format.accept(database(1)));
        assertEquals(first, format.finish());
    }
}
