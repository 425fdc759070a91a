package dev.kiln.testenv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network between a client and an HTTP server, as a test controls it: a TCP proxy that can hold back one request
 * whose request line matches (a stalled upload), go down (refuse new connections and cut open ones) and come back on
 * the same address. Test support: it stands where a real network would fail.
 */
public final class StallingProxy implements AutoCloseable {

    private final String host;
    private final InetSocketAddress upstream;
    private volatile int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Pattern> holdNext = new AtomicReference<>();
    private final AtomicReference<String> held = new AtomicReference<>();
    private volatile ServerSocket server;

    private StallingProxy(String host, InetSocketAddress upstream) {
        this.host = host;
        this.upstream = upstream;
    }

    /** Listens on {@code host} at a free port and forwards every connection to {@code target}. */
    public static StallingProxy start(String host, URI target) {
        StallingProxy proxy = new StallingProxy(host,
                new InetSocketAddress(target.getHost(), target.getPort()));
        proxy.up();
        return proxy;
    }

    public URI endpoint() {
        return URI.create("http://" + host + ":" + port);
    }

    /** The next request whose request line matches is read but never forwarded; its connection stays open. */
    public void holdNext(Pattern requestLine) {
        held.set(null);
        holdNext.set(requestLine);
    }

    /** Waits until a request armed by {@link #holdNext} is held, and returns its request line. */
    public String awaitHeld(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String line = held.get();
            if (line != null) {
                return line;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no request was held within " + within.toSeconds() + " s");
    }

    /** Refuses connections and cuts every open one, a held request's included, as a server that went away. */
    public synchronized void down() {
        closeQuietly(server);
        server = null;
        open.forEach(StallingProxy::closeQuietly);
        open.clear();
    }

    /** Accepts again on the same address. */
    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            port = socket.getLocalPort();
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        ServerSocket accepting = server;
        Thread acceptor = new Thread(() -> accept(accepting), "proxy-accept-" + host);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket accepting) {
        while (!accepting.isClosed()) {
            try {
                Socket client = accepting.accept();
                Socket target = new Socket(upstream.getAddress(), upstream.getPort());
                open.add(client);
                open.add(target);
                pump("proxy-up", client, target, true);
                pump("proxy-down", target, client, false);
            } catch (IOException e) {
                // closed by down() or close(), or the upstream refused: the client sees its connection end
            }
        }
    }

    private void pump(String name, Socket from, Socket to, boolean requests) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            boolean holding = false;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (requests && !holding) {
                        holding = holdIfArmed(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                    }
                    if (!holding) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away: end both, as a dropped connection would
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private boolean holdIfArmed(String bytes) {
        Pattern pattern = holdNext.get();
        if (pattern == null) {
            return false;
        }
        Matcher matcher = pattern.matcher(bytes);
        if (matcher.find() && holdNext.compareAndSet(pattern, null)) {
            int end = bytes.indexOf('\r', matcher.start());
            held.set(bytes.substring(lineStart(bytes, matcher.start()), end < 0 ? bytes.length() : end));
            return true;
        }
        return false;
    }

    private static int lineStart(String bytes, int at) {
        int newline = bytes.lastIndexOf('\n', at);
        return newline < 0 ? 0 : newline + 1;
    }

    @Override
    public void close() {
        down();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // already closed
        }
    }
}
