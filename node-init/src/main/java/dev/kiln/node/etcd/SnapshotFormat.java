package dev.kiln.node.etcd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Recognises an etcd v3 snapshot while it streams in: a bbolt database (its first page is a meta page carrying
 * bbolt's magic and format version), optionally followed by the sha256 of the database that etcd appends.
 */
public final class SnapshotFormat {

    public sealed interface Verdict {
        record Acceptable() implements Verdict {
        }

        record Refused(String reason) implements Verdict {
        }
    }

    static final int BOLT_MAGIC = 0xED0CDAED;
    static final int BOLT_VERSION = 2;
    // A bbolt page header is 16 bytes (id, flags, count, overflow); the meta page's magic and version follow it.
    private static final int MAGIC_OFFSET = 16;
    private static final int VERSION_OFFSET = 20;
    private static final int HEADER_BYTES = 24;
    private static final int HASH_BYTES = 32;
    // etcdctl treats a file as hashed when its size is 32 more than a multiple of 512, as here.
    private static final int SIZE_UNIT = 512;
    private static final Verdict ACCEPTABLE = new Verdict.Acceptable();

    private final long maxBytes;
    private final MessageDigest sha256;
    private final byte[] header = new byte[HEADER_BYTES];
    private byte[] tail = new byte[HASH_BYTES];
    private int tailFilled;
    private long size;
    private Verdict refused;

    public SnapshotFormat(long maxBytes) {
        this.maxBytes = maxBytes;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether a snapshot of this size ends with etcd's sha256, by the rule etcdctl applies. */
    public static boolean carriesHash(long size) {
        return size % SIZE_UNIT == HASH_BYTES;
    }

    /** Takes the next bytes; once refused, every later call gives the same refusal. */
    public Verdict accept(byte[] chunk) {
        if (refused != null) {
            return refused;
        }
        long before = size;
        size += chunk.length;
        if (size > maxBytes + HASH_BYTES) {
            return refuse("the snapshot is larger than " + maxBytes + " bytes, the largest etcd database a node restores");
        }
        if (before < HEADER_BYTES) {
            int n = (int) Math.min(chunk.length, HEADER_BYTES - before);
            System.arraycopy(chunk, 0, header, (int) before, n);
            if (size >= HEADER_BYTES && !hasBoltHeader()) {
                return refuse("not an etcd snapshot: it does not start with a bbolt database meta page");
            }
        }
        digestHoldingBackTheLastHash(chunk);
        return ACCEPTABLE;
    }

    /** Judges the whole upload once the last byte has arrived. */
    public Verdict finish() {
        if (refused != null) {
            return refused;
        }
        if (size < HEADER_BYTES) {
            return refuse("not an etcd snapshot: " + size + " bytes is too short for a bbolt database");
        }
        if (carriesHash(size)) {
            return MessageDigest.isEqual(sha256.digest(), tail) ? ACCEPTABLE
                    : refuse("the sha256 at the end of the snapshot does not match its database: it is truncated or corrupt");
        }
        if (size % SIZE_UNIT == 0) {
            return ACCEPTABLE;
        }
        return refuse("not an etcd snapshot: " + size + " bytes is neither a bbolt database nor one followed by "
                + "etcd's sha256; the upload is probably truncated");
    }

    private boolean hasBoltHeader() {
        ByteBuffer meta = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        return meta.getInt(MAGIC_OFFSET) == BOLT_MAGIC && meta.getInt(VERSION_OFFSET) == BOLT_VERSION;
    }

    /** Digests everything but the last 32 bytes seen so far, which may turn out to be the appended hash. */
    private void digestHoldingBackTheLastHash(byte[] chunk) {
        int total = tailFilled + chunk.length;
        if (total <= HASH_BYTES) {
            System.arraycopy(chunk, 0, tail, tailFilled, chunk.length);
            tailFilled = total;
            return;
        }
        int digestCount = total - HASH_BYTES;
        int fromTail = Math.min(tailFilled, digestCount);
        sha256.update(tail, 0, fromTail);
        int fromChunk = digestCount - fromTail;
        sha256.update(chunk, 0, fromChunk);
        byte[] next = new byte[HASH_BYTES];
        int kept = tailFilled - fromTail;
        System.arraycopy(tail, fromTail, next, 0, kept);
        System.arraycopy(chunk, fromChunk, next, kept, chunk.length - fromChunk);
        tail = next;
        tailFilled = HASH_BYTES;
    }

    private Verdict refuse(String reason) {
        refused = new Verdict.Refused(reason);
        return refused;
    }
}
