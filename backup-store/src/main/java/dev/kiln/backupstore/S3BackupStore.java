package dev.kiln.backupstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Backups in an S3-compatible bucket, through the AWS SDK for Java v2. A snapshot is streamed as a multipart upload
 * holding one part in memory; each part carries its MD5 for the server to check, and the whole object's SHA-256 is
 * computed on the way and returned for the manifest. The object appears under its key only when the upload completes;
 * a failed upload is aborted, and one cut short by a crash is aborted by the next run ({@link #abortIncompleteUploads}).
 */
public final class S3BackupStore implements AutoCloseable {

    /** S3's smallest part is 5 MiB; 8 MiB bounds the memory of one upload. */
    public static final int PART_SIZE = 8 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final S3Destination destination;

    private S3BackupStore(S3Client s3, S3Destination destination) {
        this.s3 = s3;
        this.destination = destination;
    }

    public static S3BackupStore open(S3Destination destination, S3Credentials credentials) {
        AwsCredentials awsCredentials = credentials.sessionToken()
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(credentials.accessKeyId(),
                        credentials.secretAccessKey(), token))
                .orElseGet(() -> AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey()));
        return open(destination, StaticCredentialsProvider.create(awsCredentials));
    }

    /** With credentials from a provider, e.g. the AWS SDK's default chain (environment, profiles, instance roles). */
    public static S3BackupStore open(S3Destination destination, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(destination.region()))
                .forcePathStyle(destination.pathStyle())
                .credentialsProvider(credentials)
                // Content-MD5 per part is what every S3-compatible server checks; the newer trailing checksums are not.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build());
        if (destination.endpoint() != null) {
            builder.endpointOverride(destination.endpoint());
        }
        return new S3BackupStore(builder.build(), destination);
    }

    public S3Destination destination() {
        return destination;
    }

    public record Uploaded(String key, long size, String sha256) {}

    /**
     * @throws IOException when reading the snapshot fails; the upload is then aborted
     * @throws IllegalArgumentException when the snapshot is empty; nothing is left behind
     */
    public Uploaded upload(String key, InputStream snapshot) throws IOException {
        return stream(key, snapshot::transferTo).uploaded();
    }

    /** Writes a snapshot to the stream it is given and returns what its source reported about it. */
    @FunctionalInterface
    public interface SnapshotSource<T> {
        T writeTo(OutputStream out) throws IOException;
    }

    public record Streamed<T>(Uploaded uploaded, T source) {}

    /**
     * Uploads what {@code source} writes to {@code key}; when the source fails, the upload is aborted and nothing
     * appears under the key.
     */
    public <T> Streamed<T> stream(String key, SnapshotSource<T> source) throws IOException {
        Upload upload = begin(key);
        T reported;
        try {
            reported = source.writeTo(upload);
        } catch (IOException | RuntimeException e) {
            upload.abort(e);
            throw e;
        }
        return new Streamed<>(upload.finish(), reported);
    }

    /** Starts an upload to {@code key}; write the snapshot to it, then {@link Upload#finish} or {@link Upload#abort}. */
    public Upload begin(String key) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(destination.bucket()).key(key)
                .contentType("application/octet-stream")).uploadId();
        return new Upload(key, uploadId);
    }

    /** One multipart upload, written as a stream: a part goes out each time {@link #PART_SIZE} bytes are buffered. */
    public final class Upload extends OutputStream {
        private final String key;
        private final String uploadId;
        private final byte[] buffer = new byte[PART_SIZE];
        private final MessageDigest whole = digest("SHA-256");
        private final MessageDigest part = digest("MD5");
        private final List<CompletedPart> parts = new ArrayList<>();
        private int buffered;
        private long size;
        private boolean ended;

        private Upload(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (ended) {
                throw new IOException("upload of " + key + " has ended");
            }
            int at = offset;
            int left = length;
            while (left > 0) {
                int n = Math.min(left, buffer.length - buffered);
                System.arraycopy(bytes, at, buffer, buffered, n);
                buffered += n;
                at += n;
                left -= n;
                if (buffered == buffer.length) {
                    sendPart();
                }
            }
        }

        private void sendPart() throws IOException {
            try {
                whole.update(buffer, 0, buffered);
                part.reset();
                part.update(buffer, 0, buffered);
                int number = parts.size() + 1;
                long length = buffered;
                String md5 = Base64.getEncoder().encodeToString(part.digest());
                String etag = s3.uploadPart(b -> b.bucket(destination.bucket()).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength(length).contentMD5(md5),
                        RequestBody.fromByteBuffer(ByteBuffer.wrap(buffer, 0, (int) length))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                size += length;
                buffered = 0;
            } catch (RuntimeException e) {
                // Wrapped so that a writer that only knows OutputStream stops at once.
                throw new IOException(e.getMessage(), e);
            }
        }

        /**
         * Sends the last part and completes the upload: only now does the object appear under its key.
         *
         * @throws IllegalArgumentException when nothing was written; the upload is aborted
         */
        public Uploaded finish() throws IOException {
            try {
                if (buffered > 0) {
                    sendPart();
                }
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException("the snapshot stream of " + key + " was empty");
                }
                s3.completeMultipartUpload(b -> b.bucket(destination.bucket()).key(key).uploadId(uploadId)
                        .multipartUpload(u -> u.parts(parts)));
                ended = true;
                return new Uploaded(key, size, HexFormat.of().formatHex(whole.digest()));
            } catch (IOException | RuntimeException e) {
                abort(e);
                throw e;
            }
        }

        /** Drops every part sent; nothing remains under the key. */
        public void abort(Exception cause) {
            if (ended) {
                return;
            }
            ended = true;
            try {
                s3.abortMultipartUpload(b -> b.bucket(destination.bucket()).key(key).uploadId(uploadId));
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    public void writeManifest(BackupManifest manifest) {
        byte[] json;
        try {
            json = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest.toMap());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the manifest of " + manifest.key(), e);
        }
        s3.putObject(b -> b.bucket(destination.bucket()).key(BackupManifest.keyOf(manifest.key()))
                .contentType("application/json"), RequestBody.fromBytes(json));
    }

    /** The manifest of the snapshot at {@code snapshotKey}, if it was finished. */
    public Optional<BackupManifest> manifest(String snapshotKey) {
        String key = BackupManifest.keyOf(snapshotKey);
        try {
            byte[] json = s3.getObjectAsBytes(b -> b.bucket(destination.bucket()).key(key)).asByteArray();
            return Optional.of(BackupManifest.fromMap(key, JSON.readValue(new String(json, StandardCharsets.UTF_8),
                    Map.class)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalArgumentException("backup manifest " + key + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** Every key under {@code folder}, in the bucket's order; folder markers (keys ending in '/') are no objects. */
    public List<String> keys(String folder) {
        return s3.listObjectsV2Paginator(b -> b.bucket(destination.bucket()).prefix(folder)).contents().stream()
                .map(S3Object::key).filter(key -> !key.endsWith("/")).toList();
    }

    public InputStream read(String key) {
        return s3.getObject(b -> b.bucket(destination.bucket()).key(key));
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(destination.bucket()).key(key));
    }

    /** Uploads under {@code folder} that never completed (their writer crashed); none of them is visible as an object. */
    public List<String> abortIncompleteUploads(String folder) {
        List<String> aborted = new ArrayList<>();
        for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(destination.bucket()).prefix(folder))
                .uploads()) {
            s3.abortMultipartUpload(b -> b.bucket(destination.bucket()).key(upload.key()).uploadId(upload.uploadId()));
            aborted.add(upload.key());
        }
        return aborted;
    }

    public static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
