package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.cluster.MemberView;
import dev.kiln.machinery.cluster.PlannedStep;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the one membership step {@link dev.kiln.machinery.cluster.MembershipPlanner} allows this pass. The
 * planner has already checked quorum (I2); this class only picks which node to ask.
 *
 * <ul>
 *   <li>Join: nothing to call. A node adds itself as a learner once configured with its peers (KilnMachine sends
 *       them); the planner's Join only says the operator would allow it now.</li>
 *   <li>Promote: nothing to call. node-init promotes its own learner once etcd reports it in sync, and the machine
 *       API has no promote call; a learner that never gets promoted keeps the planner waiting, visibly.</li>
 *   <li>RemoveStaleMember: removeMember on a healthy voter other than the removed member.</li>
 *   <li>LeaveBeforeDelete: forfeitLeadership on the leaving node if it answers, then removeMember from another
 *       healthy voter, or leaveEtcd on the leaving node itself when no other voter answers.</li>
 *   <li>ReleaseHook: removes Kiln's pre-terminate hook annotation from the Machine with a metadata-only merge patch.</li>
 * </ul>
 */
final class MembershipActions {

    private static final Logger LOG = LoggerFactory.getLogger(MembershipActions.class);

    private final KubernetesClient client;
    private final NodeConnector nodes;
    private final KilnMetrics metrics;

    MembershipActions(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics) {
        this.client = client;
        this.nodes = nodes;
        this.metrics = metrics;
    }

    Decision apply(Cluster cluster, PlannedStep step, List<ControlPlaneMachine> machines, EtcdObservation etcd,
            NodeCredentials credentials) {
        if (step instanceof PlannedStep.RemoveStaleMember stale) {
            return removeStale(cluster, stale, etcd, credentials);
        }
        if (step instanceof PlannedStep.LeaveBeforeDelete leave) {
            return leaveBeforeDelete(cluster, leave, machines, etcd, credentials);
        }
        if (step instanceof PlannedStep.ReleaseHook release) {
            return releaseHook(cluster, release.machineName());
        }
        if (step instanceof PlannedStep.ReplaceMachine replace) {
            return replaceMachine(cluster, replace);
        }
        if (step instanceof PlannedStep.Join join) {
            return Decision.waiting("JoinAllowed", "machine " + join.machineName()
                    + " may join etcd as a learner; its node joins by itself");
        }
        if (step instanceof PlannedStep.Promote promote) {
            return Decision.waiting("WaitingForLearner", "learner " + describe(etcd, promote.memberId())
                    + " is in sync; waiting for its node to promote it");
        }
        if (step instanceof PlannedStep.Wait wait) {
            return Decision.waiting("EtcdWaiting", wait.reason());
        }
        return Decision.converged("etcd membership matches the control-plane machines ("
                + etcd.view().votingCount() + " voting members)");
    }

    private Decision removeStale(Cluster cluster, PlannedStep.RemoveStaleMember stale, EtcdObservation etcd,
            NodeCredentials credentials) {
        String member = describe(etcd, stale.memberId());
        Optional<String> via = removeThroughAnotherVoter(etcd, stale.memberId(), credentials);
        if (via.isEmpty()) {
            return Decision.warning("EtcdActionFailed", "no healthy voting member answered to remove stale member "
                    + member);
        }
        metrics.memberRemoved(cluster.getMetadata().getName(), "stale");
        return Decision.acted("StaleMemberRemoved", "removed etcd member " + member + " through " + via.get()
                + ": " + stale.reason());
    }

    private Decision leaveBeforeDelete(Cluster cluster, PlannedStep.LeaveBeforeDelete leave,
            List<ControlPlaneMachine> machines, EtcdObservation etcd, NodeCredentials credentials) {
        String member = describe(etcd, leave.memberId());
        Optional<MachineNode> leaving = machines.stream().filter(m -> m.name().equals(leave.machineName()))
                .findFirst().flatMap(ControlPlaneMachine::node);
        leaving.ifPresent(node -> forfeitLeadership(node, credentials));
        Optional<String> via = removeThroughAnotherVoter(etcd, leave.memberId(), credentials);
        if (via.isEmpty() && leaving.isPresent() && leaveFromItself(leaving.get(), credentials)) {
            via = Optional.of("the leaving node itself");
        }
        if (via.isEmpty()) {
            return Decision.warning("EtcdActionFailed", "deleting machine " + leave.machineName()
                    + " could not leave etcd: neither another healthy voter nor the machine itself answered");
        }
        metrics.memberRemoved(cluster.getMetadata().getName(), "machine-deleted");
        return Decision.acted("MemberLeft", "deleting machine " + leave.machineName() + " left etcd: removed member "
                + member + " through " + via.get() + "; its pre-terminate hook is released next");
    }

    /** Returns the node that removed it; a member already gone counts as removed. */
    private Optional<String> removeThroughAnotherVoter(EtcdObservation etcd, long memberId, NodeCredentials credentials) {
        for (MachineNode node : etcd.healthyVoterNodesExcept(memberId)) {
            try (NodeApi api = nodes.connect(node.apiAddress(), credentials)) {
                api.removeMember(memberId);
                return Optional.of(node.machine().getMetadata().getName());
            } catch (NodeApiException e) {
                if (e.kind() == NodeApiException.Kind.NOT_FOUND) {
                    return Optional.of(node.machine().getMetadata().getName() + " (already gone)");
                }
                LOG.info("machine {} could not remove etcd member {}: {} {}", node.machine().getMetadata().getName(),
                        Long.toHexString(memberId), e.kind(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void forfeitLeadership(MachineNode node, NodeCredentials credentials) {
        try (NodeApi api = nodes.connect(node.apiAddress(), credentials)) {
            api.forfeitLeadership();
        } catch (NodeApiException e) {
            // A leaving node that does not answer cannot lead either; removal goes on without it.
            LOG.debug("machine {} did not forfeit etcd leadership: {}", node.machine().getMetadata().getName(), e.kind());
        }
    }

    private boolean leaveFromItself(MachineNode node, NodeCredentials credentials) {
        try (NodeApi api = nodes.connect(node.apiAddress(), credentials)) {
            api.leaveEtcd();
            return true;
        } catch (NodeApiException e) {
            LOG.info("machine {} could not leave etcd itself: {} {}", node.machine().getMetadata().getName(), e.kind(),
                    e.getMessage());
            return false;
        }
    }

    private Decision replaceMachine(Cluster cluster, PlannedStep.ReplaceMachine replace) {
        client.resources(Machine.class).inNamespace(cluster.getMetadata().getNamespace())
                .withName(replace.machineName()).delete();
        return new Decision("MachineReplaced", KilnEvents.Type.Warning, "deleted machine " + replace.machineName()
                + ": " + replace.reason(), true, Decision.AFTER_CHANGE_RECHECK);
    }

    Decision releaseHook(Cluster cluster, String machineName) {
        // A JSON Patch removing one annotation: every other field, known to Kiln or not, stays as it is.
        String path = "/metadata/annotations/" + KilnLabels.ETCD_HOOK.replace("~", "~0").replace("/", "~1");
        String patch = "[{\"op\":\"remove\",\"path\":" + client.getKubernetesSerialization().asJson(path) + "}]";
        try {
            client.resources(Machine.class).inNamespace(cluster.getMetadata().getNamespace()).withName(machineName)
                    .patch(PatchContext.of(PatchType.JSON), patch);
        } catch (KubernetesClientException e) {
            // 404: the Machine is gone; 422: the hook is already gone. Either way nothing holds the deletion.
            if (e.getCode() != 404 && e.getCode() != 422) {
                throw e;
            }
        }
        return Decision.acted("PreTerminateHookReleased", "machine " + machineName
                + " has left etcd; released its pre-terminate hook so its deletion can finish");
    }

    private static String describe(EtcdObservation etcd, long memberId) {
        return etcd.member(memberId).map(MemberView::describe).orElse(Long.toHexString(memberId));
    }
}
