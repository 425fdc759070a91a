/**
 * A machine simulator (test support, never shipped): many machines in one JVM, each serving the Kiln machine API on
 * its own loopback address with real TLS and mutual TLS, with an in-memory etcd membership per cluster instead of
 * etcd processes. It exists so the operator can be measured at fleet scale; docs/simulator.md lists what it leaves
 * out, and the contract suite in this module's tests holds it to the real node-init.
 */
package dev.kiln.testenv.sim;
