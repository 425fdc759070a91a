package dev.kiln.capi.backup;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.backupstore.S3Credentials;
import dev.kiln.backupstore.S3Failure;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.ControlPlaneMachineReader;
import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.EtcdMembershipReader.Askers;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.client.EtcdSnapshotResult;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One backup of one cluster, start to end: find a healthy voting member through the machine API, stream its
 * snapshot (asked with an os:etcd:backup certificate) into a multipart upload, write the manifest, then apply
 * retention. Uploads left incomplete by an earlier crash are aborted first.
 */
public final class BackupRun {

    private final KubernetesClient client;
    private final ClusterLookup clusters;
    private final ControlPlaneMachineReader machineReader;
    private final NodeConnector nodes;
    private final BootstrapRecordStore records;

    public BackupRun(KubernetesClient client, ClusterLookup clusters, MachineNodes machineNodes, NodeConnector nodes,
            BootstrapRecordStore records) {
        this.client = client;
        this.clusters = clusters;
        this.machineReader = new ControlPlaneMachineReader(machineNodes);
        this.nodes = nodes;
        this.records = records;
    }

    public BackupOutcome take(Cluster cluster, BackupPlan.Valid plan, Instant now) {
        String namespace = cluster.getMetadata().getNamespace();
        Optional<SecretsBundle> bundle = ClusterSecrets.load(client, namespace, plan.clusterName());
        if (bundle.isEmpty()) {
            return new BackupOutcome.Failed("WaitingForSecrets", "the secrets bundle of " + plan.clusterName()
                    + " does not exist yet");
        }
        Optional<String> etcdClusterId = records.read(cluster).filter(BootstrapRecordStore.Record::completed)
                .map(BootstrapRecordStore.Record::etcdClusterId);
        if (etcdClusterId.isEmpty()) {
            return new BackupOutcome.Failed("NotBootstrapped", "etcd of " + plan.clusterName()
                    + " is not bootstrapped yet");
        }
        S3Credentials credentials;
        try {
            credentials = S3CredentialsSecret.read(client, namespace, plan.credentialsSecret());
        } catch (IllegalArgumentException e) {
            return new BackupOutcome.Failed("CredentialsSecretInvalid", e.getMessage());
        }
        // A machine being deleted may be leaving etcd: neither asked nor taken as the snapshot's source.
        List<ControlPlaneMachine> machines = machineReader.read(clusters.controlPlaneMachines(cluster).stream()
                .filter(machine -> !machine.isDeleting())
                .toList());
        EtcdObservation members = new EtcdMembershipReader(nodes).read(machines, Askers.STAYING, etcdClusterId,
                new NodeCredentials.ClusterAdmin(bundle.get()));
        if (members.problem().isPresent()) {
            return new BackupOutcome.Failed("EtcdMembersUnknown", members.problem().get());
        }
        Optional<BackupSource.Chosen> source = BackupSource.choose(members.view(), members.leaderId(),
                members.machineNameByMemberId());
        Optional<String> address = source.flatMap(chosen -> machines.stream()
                .filter(m -> m.name().equals(chosen.machineName())).findFirst())
                .flatMap(ControlPlaneMachine::node).map(MachineNodes.MachineNode::apiAddress);
        if (source.isEmpty() || address.isEmpty()) {
            return new BackupOutcome.Failed("NoHealthyMember", "no healthy voting member of " + plan.clusterName()
                    + " to take a snapshot from");
        }
        String folder = BackupKey.folder(plan.destination().prefix(), namespace, plan.clusterName());
        BackupKey key = BackupKey.of(folder, now, etcdClusterId.get());
        try (S3BackupStore store = S3BackupStore.open(plan.destination(), credentials)) {
            List<String> aborted = store.abortIncompleteUploads(folder);
            S3BackupStore.Streamed<EtcdSnapshotResult> snapshot = store.stream(key.key(), out -> {
                try (NodeApi api = nodes.connect(address.get(), new NodeCredentials.EtcdBackup(bundle.get()))) {
                    return api.etcdSnapshot(out);
                }
            });
            S3BackupStore.Uploaded uploaded = snapshot.uploaded();
            BackupManifest manifest = new BackupManifest(uploaded.key(), uploaded.size(), uploaded.sha256(),
                    etcdClusterId.get(), snapshot.source().etcdRevision(), key.taken(), source.get().machineName(), namespace + "/" + plan.clusterName());
            store.writeManifest(manifest);
            List<String> keys = store.keys(folder);
            List<String> deleted = BackupRetention.toDelete(folder, keys, plan.retention());
            deleted.forEach(store::delete);
            List<BackupKey> kept = keys.stream().filter(k -> !deleted.contains(k))
                    .map(k -> BackupKey.parse(folder, k)).flatMap(Optional::stream).toList();
            return new BackupOutcome.Taken(manifest, deleted, aborted, kept);
        } catch (NodeApiException e) {
            return new BackupOutcome.Failed("SnapshotFailed", "snapshot of " + source.get().machineName() + ": "
                    + e.getMessage());
        } catch (IOException | RuntimeException e) {
            S3Failure failure = S3Failure.of(plan.destination(), e);
            return new BackupOutcome.Failed(failure.reason(), failure.message());
        }
    }
}
