package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnEtcdBackupStatus implements HasConditions {
    private Long observedGeneration;
    private List<Condition> conditions;
    private StoredBackup lastBackup;
    private BackupFailure lastFailure;
    /** When the last scheduled (not on-demand) backup succeeded; the schedule counts from it. */
    private String lastScheduledTime;
    private String nextScheduledTime;
    /** The kiln.dev/backup-now value last served. */
    private String lastOnDemandRequest;
    private Integer failuresInARow;
    /** The backups kept at the destination, newest first, as this object last saw them. */
    private List<StoredBackup> backups;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    @Override public List<Condition> getConditions() { return conditions; }
    @Override public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public StoredBackup getLastBackup() { return lastBackup; }
    public void setLastBackup(StoredBackup lastBackup) { this.lastBackup = lastBackup; }
    public BackupFailure getLastFailure() { return lastFailure; }
    public void setLastFailure(BackupFailure lastFailure) { this.lastFailure = lastFailure; }
    public String getLastScheduledTime() { return lastScheduledTime; }
    public void setLastScheduledTime(String lastScheduledTime) { this.lastScheduledTime = lastScheduledTime; }
    public String getNextScheduledTime() { return nextScheduledTime; }
    public void setNextScheduledTime(String nextScheduledTime) { this.nextScheduledTime = nextScheduledTime; }
    public String getLastOnDemandRequest() { return lastOnDemandRequest; }
    public void setLastOnDemandRequest(String lastOnDemandRequest) { this.lastOnDemandRequest = lastOnDemandRequest; }
    public Integer getFailuresInARow() { return failuresInARow; }
    public void setFailuresInARow(Integer failuresInARow) { this.failuresInARow = failuresInARow; }
    public List<StoredBackup> getBackups() { return backups; }
    public void setBackups(List<StoredBackup> backups) { this.backups = backups; }

    /** One backup at the destination: enough to find it and to check it before a recovery. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StoredBackup {
        private String key;
        private Long size;
        private String sha256;
        private String etcdClusterId;
        /** The etcd revision the snapshot holds, as the node reported it. */
        private Long etcdRevision;
        /** The member (machine) whose etcd the snapshot came from. */
        private String member;
        private String completionTime;
        /** Why it was taken: Scheduled, OnDemand or Retry. */
        private String trigger;

        public String getKey() { return key; }
        public void setKey(String key) { this.key = key; }
        public Long getSize() { return size; }
        public void setSize(Long size) { this.size = size; }
        public String getSha256() { return sha256; }
        public void setSha256(String sha256) { this.sha256 = sha256; }
        public String getEtcdClusterId() { return etcdClusterId; }
        public void setEtcdClusterId(String etcdClusterId) { this.etcdClusterId = etcdClusterId; }
        public Long getEtcdRevision() { return etcdRevision; }
        public void setEtcdRevision(Long etcdRevision) { this.etcdRevision = etcdRevision; }
        public String getMember() { return member; }
        public void setMember(String member) { this.member = member; }
        public String getCompletionTime() { return completionTime; }
        public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
        public String getTrigger() { return trigger; }
        public void setTrigger(String trigger) { this.trigger = trigger; }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class BackupFailure {
        private String time;
        private String reason;
        private String message;

        public String getTime() { return time; }
        public void setTime(String time) { this.time = time; }
        public String getReason() { return reason; }
        public void setReason(String reason) { this.reason = reason; }
        public String getMessage() { return message; }
        public void setMessage(String message) { this.message = message; }
    }
}
