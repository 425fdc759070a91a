package dev.kiln.machinery.client;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.function.Supplier;

/** A server stream read as an iterator; closing it cancels the call, which ends a follow. */
public final class ServerStream<T> implements Iterator<T>, AutoCloseable {

    private final NodeAddress node;
    private final Context.CancellableContext context;
    private final Iterator<T> delegate;

    ServerStream(NodeAddress node, Supplier<Iterator<T>> call) {
        this.node = node;
        this.context = Context.current().withCancellation();
        Context previous = context.attach();
        try {
            this.delegate = call.get();
        } finally {
            context.detach(previous);
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return delegate.hasNext();
        } catch (StatusRuntimeException e) {
            throw new MachineApiException(node, e);
        }
    }

    @Override
    public T next() {
        try {
            return delegate.next();
        } catch (StatusRuntimeException e) {
            throw new MachineApiException(node, e);
        }
    }

    @Override
    public void close() {
        context.cancel(null);
    }
}
