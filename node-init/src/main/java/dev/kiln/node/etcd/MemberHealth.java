package dev.kiln.node.etcd;

import java.util.Optional;

/** A member and why it did not answer its status, if it did not. */
public record MemberHealth(EtcdMember member, Optional<String> problem) {
}
