/**
 * Pure control-plane decisions for Kiln: bootstrap, etcd membership, scaling. No I/O; callers gather views and act.
 *
 * <p>Invariants served:
 * <ul>
 *   <li>I1 bootstrap once: {@link dev.kiln.machinery.cluster.BootstrapPlanner} never picks a second machine.</li>
 *   <li>I2 quorum safety: every membership change passes {@link dev.kiln.machinery.cluster.Quorum#check}; one change
 *       at a time, a learner is promoted before the next join.</li>
 *   <li>I3 no stale members: deleting machines leave etcd before their pre-terminate hook is released; members
 *       without a machine are removed one per pass.</li>
 *   <li>I4 even control-plane replica counts are refused by {@link dev.kiln.machinery.cluster.ScalePlanner}.</li>
 * </ul>
 */
package dev.kiln.machinery.cluster;
