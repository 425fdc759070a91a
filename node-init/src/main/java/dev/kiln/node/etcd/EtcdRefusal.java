package dev.kiln.node.etcd;

import java.util.Locale;

/** Why etcd refused a membership change, read from its error text (etcd 3.4 wording). */
public enum EtcdRefusal {
    MEMBER_NOT_FOUND("member not found"),
    TOO_MANY_LEARNERS("too many learner members"),
    LEARNER_NOT_IN_SYNC("can only promote a learner member which is in sync"),
    // after LEARNER_NOT_IN_SYNC: its text begins with this one's
    NOT_A_LEARNER("can only promote a learner member"),
    NOT_ENOUGH_STARTED_MEMBERS("not enough started members"),
    UNHEALTHY_CLUSTER("unhealthy cluster"),
    PEER_URL_EXISTS("peerurl exists"),
    OTHER("");

    private final String marker;

    EtcdRefusal(String marker) {
        this.marker = marker;
    }

    public static EtcdRefusal of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            String text = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            for (EtcdRefusal refusal : values()) {
                if (refusal != OTHER && text.contains(refusal.marker)) {
                    return refusal;
                }
            }
        }
        return OTHER;
    }

    /** Refusals that clear by themselves once the cluster settles, so the caller should try again. */
    public boolean isTransient() {
        return this == TOO_MANY_LEARNERS || this == LEARNER_NOT_IN_SYNC
                || this == NOT_ENOUGH_STARTED_MEMBERS || this == UNHEALTHY_CLUSTER;
    }
}
