package dev.kiln.node.supervisor;

/** A live subscription to a log or event stream; closing it stops delivery. */
public interface Subscription extends AutoCloseable {

    @Override
    void close();
}
