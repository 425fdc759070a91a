package dev.kiln.capi.api.controlplane.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Scheduled etcd backups of one Kiln cluster to S3-compatible storage. Its own kind rather than a KilnControlPlane
 * field: a cluster whose control plane a MachineDeployment makes has no KilnControlPlane, one cluster may back up to
 * several places, and backup status changes often without touching the control plane's.
 */
@Group(KilnControlPlane.GROUP)
@Version(KilnControlPlane.VERSION)
@ShortNames("kilnbackup")
@Labels({ContractLabels.V1BETA2, ContractLabels.CONTROL_PLANE_PROVIDER})
@Categories(ContractLabels.CATEGORY)
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.clusterName")
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule")
@AdditionalPrinterColumn(name = "Last Backup", jsonPath = ".status.lastBackup.completionTime", type = Type.DATE)
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduledTime", type = Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class KilnEtcdBackup extends CustomResource<KilnEtcdBackupSpec, KilnEtcdBackupStatus> implements Namespaced {

    /** A new value asks for one backup at once, whatever the schedule; any text, e.g. a timestamp from Git. */
    public static final String BACKUP_NOW_ANNOTATION = "kiln.dev/backup-now";
}
