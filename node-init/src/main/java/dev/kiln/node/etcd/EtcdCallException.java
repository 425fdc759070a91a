package dev.kiln.node.etcd;

/** An etcd call that failed or timed out, with the refusal it amounts to. */
public final class EtcdCallException extends Exception {

    private final EtcdRefusal refusal;

    public EtcdCallException(String what, Throwable cause) {
        super(what + ": " + (cause == null ? "failed" : describe(cause)), cause);
        this.refusal = EtcdRefusal.of(cause);
    }

    private static String describe(Throwable cause) {
        return cause instanceof java.util.concurrent.TimeoutException ? "no answer in time" : String.valueOf(cause.getMessage());
    }

    public EtcdRefusal refusal() {
        return refusal;
    }
}
