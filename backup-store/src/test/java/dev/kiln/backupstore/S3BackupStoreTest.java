package dev.kiln.backupstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Backups in a real S3-compatible server (s3proxy on 127.0.77.1) through the AWS SDK, as with Amazon S3 or MinIO. */
class S3BackupStoreTest {

    private static final String BUCKET = "etcd-backups";

    @TempDir
    static Path root;

    private static LocalS3 s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = LocalS3.start(root.resolve("s3"), "127.0.77.1", BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private static S3BackupStore store(String prefix) {
        return S3BackupStore.open(s3.destination(BUCKET, prefix), LocalS3.credentials());
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aSnapshotLargerThanAPartIsStoredWholeWithTheSha256OfItsBytes() throws Exception {
        byte[] snapshot = randomBytes(2 * S3BackupStore.PART_SIZE + 12345);
        try (S3BackupStore store = store("large/")) {
            S3BackupStore.Uploaded uploaded = store.upload("large/a.db", new ByteArrayInputStream(snapshot));

            assertEquals(snapshot.length, uploaded.size());
            assertEquals(sha256(snapshot), uploaded.sha256());
            try (InputStream read = store.read("large/a.db")) {
                assertEquals(sha256(snapshot), sha256(read.readAllBytes()));
            }
            assertEquals(List.of("large/a.db"), store.keys("large/"));
        }
    }

    @Test
    void anUploadWhoseSnapshotStreamBreaksLeavesNothingUnderItsKeyAndNoUploadBehind() throws Exception {
        InputStream breaking = new FilterInputStream(new ByteArrayInputStream(randomBytes(3 * S3BackupStore.PART_SIZE))) {
            private long served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > S3BackupStore.PART_SIZE + 1000) {
                    throw new IOException("stream from the node ended early");
                }
                int n = super.read(b, off, len);
                served += Math.max(n, 0);
                return n;
            }
        };
        try (S3BackupStore store = store("broken/")) {
            assertThrows(IOException.class, () -> store.upload("broken/b.db", breaking));

            assertEquals(List.of(), store.keys("broken/"));
            assertEquals(List.of(), store.abortIncompleteUploads("broken/"), "the failed upload was aborted already");
        }
    }

    @Test
    void anUploadLeftIncompleteByACrashedWriterIsInvisibleAndAbortedByTheNextRun() throws Exception {
        try (S3Client raw = rawClient(); S3BackupStore store = store("crashed/")) {
            String uploadId = raw.createMultipartUpload(b -> b.bucket(BUCKET).key("crashed/c.db")).uploadId();
            raw.uploadPart(b -> b.bucket(BUCKET).key("crashed/c.db").uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(randomBytes(S3BackupStore.PART_SIZE)));

            assertEquals(List.of(), store.keys("crashed/"), "a part uploaded is no object");
            assertEquals(List.of("crashed/c.db"), store.abortIncompleteUploads("crashed/"));
            assertEquals(List.of(), store.abortIncompleteUploads("crashed/"));
            assertEquals(List.of(), store.keys("crashed/"));
        }
    }

    @Test
    void anEmptySnapshotIsRefusedAndLeavesNothing() throws Exception {
        try (S3BackupStore store = store("empty/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.upload("empty/e.db", InputStream.nullInputStream()));
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
            assertEquals(List.of(), store.keys("empty/"));
            assertEquals(List.of(), store.abortIncompleteUploads("empty/"));
        }
    }

    @Test
    void aManifestIsReadBackAsWritten() throws Exception {
        BackupManifest manifest = new BackupManifest("m/20261204T120000Z-abc.db", 42, "ff00", "abc",
                OptionalLong.of(1234), Instant.parse("2026-12-04T12:00:00Z"), "cp-0", "default/demo");
        try (S3BackupStore store = store("m/")) {
            store.writeManifest(manifest);
            assertEquals(Optional.of(manifest), store.manifest("m/20261204T120000Z-abc.db"));
            assertEquals(Optional.empty(), store.manifest("m/other.db"));
        }
    }

    @Test
    void wrongCredentialsAreReportedWithoutTheSecret() {
        S3Credentials wrong = new S3Credentials(LocalS3.ACCESS_KEY, "not-the-secret-key", Optional.empty());
        try (S3BackupStore store = S3BackupStore.open(s3.destination(BUCKET, ""), wrong)) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> store.upload("x.db", new ByteArrayInputStream(new byte[] {1})));
            S3Failure failure = S3Failure.of(store.destination(), e);
            assertEquals("CredentialsRefused", failure.reason(), failure.message());
            assertFalse(failure.message().contains("not-the-secret-key"), failure.message());
            assertFalse(wrong.toString().contains("not-the-secret-key"), wrong.toString());
        }
    }

    @Test
    void aMissingBucketIsNamed() {
        try (S3BackupStore store = S3BackupStore.open(s3.destination("no-such-bucket", ""), LocalS3.credentials())) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> store.upload("x.db", new ByteArrayInputStream(new byte[] {1})));
            S3Failure failure = S3Failure.of(store.destination(), e);
            assertEquals("BucketNotFound", failure.reason(), failure.message());
            assertTrue(failure.message().contains("no-such-bucket"), failure.message());
        }
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.77.1"))) {
            closedPort = socket.getLocalPort();
        }
        S3Destination nowhere = new S3Destination(URI.create("http://127.0.77.1:" + closedPort), BUCKET, "",
                "us-east-1", true);
        try (S3BackupStore store = S3BackupStore.open(nowhere, LocalS3.credentials())) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> store.upload("x.db", new ByteArrayInputStream(new byte[] {1})));
            S3Failure failure = S3Failure.of(store.destination(), e);
            assertEquals("EndpointUnreachable", failure.reason(), failure.message());
            assertTrue(failure.message().contains(String.valueOf(closedPort)), failure.message());
        }
    }

    private static S3Client rawClient() {
        return S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalS3.ACCESS_KEY, LocalS3.SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
