package dev.kiln.capi.infrastructure;

import dev.kiln.capi.node.InMemoryNodes;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** {@link InMemoryNodes} that also remembers every config it was sent and with which credentials. */
final class RecordingNodes implements NodeConnector {

    record Applied(String address, NodeCredentials credentials, String config) {
    }

    record Prepared(String address, NodeCredentials credentials) {
    }

    final InMemoryNodes nodes = new InMemoryNodes();
    private final List<Applied> applied = new ArrayList<>();
    private final List<Boolean> gracefulResets = new ArrayList<>();
    private final List<String> dialed = new ArrayList<>();
    private final List<Prepared> prepared = new ArrayList<>();
    private volatile Consumer<String> afterApply = address -> { };

    synchronized List<Applied> applied() {
        return List.copyOf(applied);
    }

    synchronized List<Applied> appliedTo(String address) {
        return applied.stream().filter(a -> a.address().equals(address)).toList();
    }

    /** The graceful flag of every reset sent, in order. */
    /** Every address a connection was opened to, in order. */
    synchronized List<String> dialed() {
        return List.copyOf(dialed);
    }

    synchronized List<Boolean> gracefulResets() {
        return List.copyOf(gracefulResets);
    }

    /** Every connection prepared ahead of a call, in order. */
    synchronized List<Prepared> prepared() {
        return List.copyOf(prepared);
    }

    @Override
    public synchronized void prepare(String address, NodeCredentials credentials) {
        prepared.add(new Prepared(address, credentials));
    }

    /** Runs after each successful apply, e.g. to take the node away as a reboot would. */
    void afterApply(Consumer<String> action) {
        afterApply = action;
    }

    @Override
    public NodeApi connect(String address, NodeCredentials credentials) {
        synchronized (this) {
            dialed.add(address);
        }
        NodeApi delegate = nodes.connect(address, credentials);
        return (NodeApi) Proxy.newProxyInstance(NodeApi.class.getClassLoader(), new Class<?>[] {NodeApi.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("reset")) {
                        synchronized (this) {
                            gracefulResets.add((Boolean) args[0]);
                        }
                    }
                    if (method.getName().equals("applyConfiguration")) {
                        synchronized (this) {
                            applied.add(new Applied(address, credentials,
                                    new String((byte[]) args[0], StandardCharsets.UTF_8)));
                        }
                        afterApply.accept(address);
                    }
                    return result;
                });
    }
}
