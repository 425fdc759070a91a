package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnEtcdBackupSpec {
    /** The Cluster (same namespace) whose etcd is backed up. */
    @Required private String clusterName;
    /** Five cron fields in UTC ("0 *&#47;6 * * *"), a nickname (@hourly, @daily...), or "@every 30m". */
    @Required private String schedule;
    /** How many backups of this cluster to keep at the destination; older ones are deleted after each success. */
    @Default("7") @Min(1) @Max(1000) private Integer retention;
    /** Stops scheduled backups; on-demand ones (annotation kiln.dev/backup-now) still run. */
    private Boolean suspend;
    @Required private BackupDestination destination;

    public String getClusterName() { return clusterName; }
    public void setClusterName(String clusterName) { this.clusterName = clusterName; }
    public String getSchedule() { return schedule; }
    public void setSchedule(String schedule) { this.schedule = schedule; }
    public Integer getRetention() { return retention; }
    public void setRetention(Integer retention) { this.retention = retention; }
    public Boolean getSuspend() { return suspend; }
    public void setSuspend(Boolean suspend) { this.suspend = suspend; }
    public BackupDestination getDestination() { return destination; }
    public void setDestination(BackupDestination destination) { this.destination = destination; }
}
