/**
 * The parts of Cluster API core's cluster.x-k8s.io/v1beta1 objects that Kiln reads and writes. Cluster API owns
 * these kinds and their CRDs; fields Kiln does not model are kept in {@code additionalProperties} so an update
 * never drops them.
 */
package dev.kiln.capi.core.v1beta1;
