package dev.kiln.backupstore;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;

/**
 * A real S3-compatible server in this JVM (s3proxy over jclouds' filesystem store): the AWS SDK talks to it over
 * HTTP with signed requests exactly as to Amazon S3 or MinIO. Objects live as files under the given folder. Test
 * support, also for the end-to-end tests.
 */
public final class LocalS3 implements AutoCloseable {

    public static final String ACCESS_KEY = "kiln-backup";
    public static final String SECRET_KEY = "kiln-backup-secret-key";

    private final S3Proxy proxy;
    private final BlobStoreContext context;
    private final String host;

    private LocalS3(S3Proxy proxy, BlobStoreContext context, String host) {
        this.proxy = proxy;
        this.context = context;
        this.host = host;
    }

    /** Starts on {@code host} (a loopback address) at a free port, with {@code bucket} created. */
    public static LocalS3 start(Path root, String host, String bucket) throws Exception {
        return start(root, host, 0, bucket);
    }

    /** Starts on {@code host:port}; the objects of an earlier server on {@code root} are served again. */
    public static LocalS3 start(Path root, String host, int port, String bucket) throws Exception {
        Files.createDirectories(root);
        Properties properties = new Properties();
        properties.setProperty(FilesystemConstants.PROPERTY_BASEDIR, root.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .endpoint(URI.create("http://" + host + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                context.close();
                throw new IllegalStateException("s3proxy did not start on " + host + ": " + proxy.getState());
            }
            Thread.sleep(10);
        }
        if (!context.getBlobStore().containerExists(bucket)) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        return new LocalS3(proxy, context, host);
    }

    public URI endpoint() {
        return URI.create("http://" + host + ":" + proxy.getPort());
    }

    public S3Destination destination(String bucket, String prefix) {
        return new S3Destination(endpoint(), bucket, prefix, "us-east-1", true);
    }

    public static S3Credentials credentials() {
        return new S3Credentials(ACCESS_KEY, SECRET_KEY, Optional.empty());
    }

    /** Stops serving; objects stay on disk for a later {@link #start} on the same folder. */
    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
