package dev.kiln.node.etcd;

import io.etcd.jetcd.api.AlarmType;

/** An alarm etcd has raised on one member: NOSPACE (backend quota reached) or CORRUPT (data hash mismatch). */
public record MemberAlarm(long memberId, AlarmType type) {
}
