package dev.kiln.node.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;

/**
 * Fetches a release into a file, hashing it while it streams and stopping at {@code maxBytes}; a digest that differs
 * from the reference's is an error. https servers are verified against {@code trust}.
 */
public final class ReleaseDownload {

    /** The largest release a node accepts. */
    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    private final SSLContext trust;
    private final long maxBytes;

    public ReleaseDownload(SSLContext trust, long maxBytes) {
        this.trust = trust;
        this.maxBytes = maxBytes;
    }

    public void fetch(ImageRef ref, Path target) throws DownloadFailed {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream raw = open(ref); InputStream in = new DigestInputStream(raw, sha256);
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new DownloadFailed("image: larger than the " + maxBytes + "-byte limit");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new DownloadFailed("image: downloading " + ref.url() + ": " + describe(e));
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(ref.sha256())) {
            throw new DownloadFailed("image: sha256 mismatch: expected " + ref.sha256() + ", got " + actual);
        }
    }

    private InputStream open(ImageRef ref) throws IOException, DownloadFailed {
        if (ref.url().getScheme().equalsIgnoreCase("file")) {
            return Files.newInputStream(Path.of(ref.url()));
        }
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(ref.url()).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new DownloadFailed("image: " + ref.url() + " answered HTTP " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
            if (declared > maxBytes) {
                response.body().close();
                throw new DownloadFailed("image: " + declared + " bytes exceed the " + maxBytes + "-byte limit");
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String describe(IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return root == e ? message : e.getClass().getSimpleName() + ": " + message;
    }

    /** A download that did not produce the referenced release. */
    public static final class DownloadFailed extends Exception {
        public DownloadFailed(String message) {
            super(message);
        }
    }
}
