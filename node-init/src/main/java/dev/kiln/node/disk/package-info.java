/**
 * The node's disk. The machine's disk is a root directory; each partition is a directory under it
 * and every piece of node state lives in one of them:
 * <ul>
 *   <li>{@code STATE/} machine config (current, previous, staged) and node identity;</li>
 *   <li>{@code EPHEMERAL/} etcd data, service logs and run files (pidfiles);</li>
 *   <li>{@code BOOT-A/}, {@code BOOT-B/} the two installed system images;</li>
 *   <li>{@code META/} boot bookkeeping: active slot, boot attempts, installed versions.</li>
 * </ul>
 * Files are written through {@link dev.kiln.node.disk.AtomicFiles} so a crash leaves either the old
 * or the new content, never a torn file.
 */
package dev.kiln.node.disk;
