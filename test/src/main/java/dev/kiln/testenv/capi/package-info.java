/**
 * A stand-in for Cluster API core's controllers (Cluster, Machine, MachineSet, MachineDeployment), which are Go
 * programs that cannot run here. It follows the documented contract closely enough to drive Kiln's providers:
 * bootstrap data and providerID flow between a Machine and its provider objects, Machines move through phases,
 * pre-terminate hooks hold a Machine's deletion, MachineSets keep their replica counts, MachineDeployments roll a
 * changed template over to a new MachineSet within maxSurge and maxUnavailable, and
 * objects whose owners are gone are collected. Test support only: it is never part of the operator.
 */
package dev.kiln.testenv.capi;
