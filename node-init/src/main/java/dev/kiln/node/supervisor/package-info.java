/**
 * The node's system services and the supervisor that runs them.
 *
 * <p>A {@link dev.kiln.node.supervisor.Service} has a lifecycle (INITIALIZED, STARTING, WAITING,
 * PREPARING, RUNNING, STOPPING, FINISHED, FAILED, SKIPPED); the {@link dev.kiln.node.supervisor.Supervisor}
 * moves it through them, restarts it with backoff after crashes and checks its health. Services
 * backed by external processes use {@link dev.kiln.node.supervisor.ProcessService}. Output goes to a
 * {@link dev.kiln.node.supervisor.ServiceLog} per service, state changes to the node-wide
 * {@link dev.kiln.node.supervisor.EventLog}.
 *
 * <p><b>Child processes and a killed node-init.</b> When node-init is killed with SIGKILL, nothing in
 * the JVM runs, and Java has no way to have the kernel kill the children then. Processes such as
 * etcd would keep running. The mitigation: every process service records its child in a
 * {@link dev.kiln.node.supervisor.Pidfile} under {@code EPHEMERAL/run/}, and every start first kills
 * the process a previous run recorded, if it still runs and is still that process (same start time,
 * or same command where start times are unavailable). An orphan therefore lives only until the next
 * node-init starts that service. Descendants a killed process leaves behind are reparented; where
 * PID 1 does not reap them they stay zombies, which {@link dev.kiln.node.supervisor.ProcessTree#isLive}
 * counts as gone.
 */
package dev.kiln.node.supervisor;
