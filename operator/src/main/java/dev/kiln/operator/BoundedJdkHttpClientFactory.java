package dev.kiln.operator;

import dev.kiln.machinery.threads.BoundedThreads;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientImpl;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;

/**
 * fabric8's JDK HTTP client with {@code threads} named threads for the client's responses, instead of a cached pool
 * that grew a thread per response in flight. Those threads read responses and watch frames and parse their JSON; the
 * callers that wait for them are the reconcilers, never these threads.
 */
final class BoundedJdkHttpClientFactory extends JdkHttpClientFactory {

    private final int threads;
    /** Shared by the clients this factory builds, and shut down with the last of them. Guarded by {@code this}. */
    private ExecutorService pool;
    private int open;

    BoundedJdkHttpClientFactory(int threads) {
        this.threads = threads;
    }

    @Override
    protected synchronized HttpClient.Builder createNewHttpClientBuilder() {
        if (open++ == 0) {
            pool = BoundedThreads.pool("kiln-k8s-http", threads);
        }
        return HttpClient.newBuilder().executor(pool);
    }

    @Override
    protected synchronized void closeHttpClient(JdkHttpClientImpl client) {
        // the client's executor is not reachable from here, so the pool goes once no client of this factory is open
        if (open > 0 && --open == 0) {
            pool.shutdownNow();
        }
    }
}
