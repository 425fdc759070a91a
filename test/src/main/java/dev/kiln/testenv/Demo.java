package dev.kiln.testenv;

import dev.kiln.backupstore.LocalS3;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The local demo (hack/demo): brings up the local environment with 5 machines, applies {@code examples/}, shows each
 * Machine's phase changes, and prints a summary once the cluster has formed. {@code --exit} ends after the summary;
 * otherwise it stays up until Ctrl-C. Options: {@code --repo DIR} (default {@code .}), {@code --out DIR} (default
 * {@code _out/demo}), {@code --timeout SECONDS} (default 300).
 */
public final class Demo {

    static final String S3_HOST = "127.0.50.200";
    static final int S3_PORT = 9000;
    static final String BACKUP_BUCKET = "etcd-backups";
    static final String BACKUP = "demo-etcd";

    static final String CLUSTER = "demo";

    public static void main(String[] args) throws Exception {
        // fabric8's warnings about v1beta1 kinds and its two HTTP client factories are noise here
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client", "error");
        Path repo = Path.of(".");
        Path out = null;
        boolean exit = false;
        long timeoutSeconds = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--exit" -> exit = true;
                case "--repo" -> repo = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--timeout" -> timeoutSeconds = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: Demo [--exit] [--repo DIR] [--out DIR] [--timeout SECONDS]");
                    System.exit(2);
                }
            }
        }
        repo = repo.toAbsolutePath().normalize();
        out = (out == null ? repo.resolve("_out/demo") : out).toAbsolutePath().normalize();
        Path work = out.resolve("env");
        deleteTree(work);
        Files.createDirectories(work);

        int code = 1;
        long start = System.nanoTime();
        say("starting the management API, 5 machines (control plane 127.0.50.1-3, workers 127.0.50.4-5) and the operator;"
                + " logs in " + work);
        try (LocalEnvironment env = LocalEnvironment.start(repo, work, "127.0.50", 5,
                i -> Map.of("role", i <= 3 ? "controlplane" : "worker"), Map.of());
                LocalS3 s3 = LocalS3.start(work.resolve("s3"), S3_HOST, S3_PORT, BACKUP_BUCKET)) {
            say("S3-compatible storage for etcd backups at " + s3.endpoint() + " (s3proxy, files in "
                    + work.resolve("s3") + ")");
            say("management API at " + env.api().url() + ", operator log " + env.operator().log());
            for (Machines.Machine m : env.machines().list()) {
                say("waiting for machine " + m.name() + " (" + m.endpoint() + "): maintenance mode ... OK");
            }
            long applied = System.nanoTime();
            Manifests.createAll(env.client(), repo.resolve("examples"));
            say("applied " + repo.resolve("examples"));
            Formed formed = awaitFormed(env, Duration.ofSeconds(timeoutSeconds));
            Duration toForm = Duration.ofNanos(System.nanoTime() - applied);
            if (formed == null) {
                say("the cluster did not form within " + timeoutSeconds + " s; see " + env.operator().log()
                        + " and the machine consoles in " + work.resolve("machines"));
            } else {
                summary(env, formed, toForm, out);
                code = firstBackup(env, repo) ? 0 : 1;
                if (!exit) {
                    say("the cluster stays up; Ctrl-C stops everything");
                    new CountDownLatch(1).await();
                }
            }
        } catch (RuntimeException e) {
            say("failed: " + e.getMessage());
        }
        say("stopped after " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
        System.exit(code);
    }

    /**
     * Applies examples/recover-from-backup/etcd-backup.yaml (backups every 6 hours to the in-process S3 server) and
     * asks for one backup now; prints where it landed.
     */
    static boolean firstBackup(LocalEnvironment env, Path repo) throws InterruptedException {
        KubernetesClient client = env.client();
        Manifests.create(client, repo.resolve("examples/recover-from-backup/etcd-backup.yaml"));
        client.resources(KilnEtcdBackup.class).inNamespace(LocalEnvironment.NAMESPACE).withName(BACKUP)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\""
                        + KilnEtcdBackup.BACKUP_NOW_ANNOTATION + "\":\"demo\"}}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            KilnEtcdBackupStatus status = client.resources(KilnEtcdBackup.class)
                    .inNamespace(LocalEnvironment.NAMESPACE).withName(BACKUP).get().getStatus();
            if (status != null && "demo".equals(status.getLastOnDemandRequest()) && status.getLastBackup() != null) {
                StoredBackup backup = status.getLastBackup();
                say("waiting for etcd backup " + BACKUP + ": s3://" + BACKUP_BUCKET + "/" + backup.getKey() + " ("
                        + backup.getSize() + " bytes, etcd revision " + backup.getEtcdRevision() + ") ... OK");
                return true;
            }
            Thread.sleep(250);
        }
        say("the etcd backup " + BACKUP + " did not complete within 60 s; see kubectl get kilnetcdbackup " + BACKUP
                + " -o yaml and " + env.operator().log());
        return false;
    }

    record Formed(List<Machine> machines, List<EtcdReport.NodeView> views, String clusterId) {
    }

    /** Waits until all 5 Machines run and etcd has 3 voters answering with one cluster ID; shows phase changes. */
    static Formed awaitFormed(LocalEnvironment env, Duration within) throws InterruptedException {
        return awaitFormed(env, 5, within);
    }

    /** As {@link #awaitFormed(LocalEnvironment, Duration)} for a cluster of {@code machineCount} Machines. */
    static Formed awaitFormed(LocalEnvironment env, int machineCount, Duration within) throws InterruptedException {
        KubernetesClient client = env.client();
        Map<String, String> phases = new HashMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        long nextEtcdProbe = 0;
        while (System.nanoTime() < deadline) {
            List<Machine> machines = client.resources(Machine.class).inNamespace(LocalEnvironment.NAMESPACE)
                    .withLabel(Machine.CLUSTER_NAME_LABEL, CLUSTER).list().getItems();
            for (Machine machine : machines) {
                String name = machine.getMetadata().getName();
                String phase = machine.getStatus() == null || machine.getStatus().getPhase() == null ? "Pending"
                        : machine.getStatus().getPhase();
                String before = phases.put(name, phase);
                if (!phase.equals(before)) {
                    String role = isControlPlane(machine) ? "control plane" : "worker";
                    say("waiting for machine " + name + " (" + role + "): " + phase
                            + ("Running".equals(phase) ? " ... OK" : " ..."));
                }
            }
            if (!env.operator().isAlive()) {
                say("the operator exited with " + env.operator().process().exitValue() + "; see "
                        + env.operator().log());
                return null;
            }
            boolean allRunning = machines.size() == machineCount
                    && machines.stream().allMatch(m -> m.getStatus() != null
                            && "Running".equals(m.getStatus().getPhase()));
            if (allRunning && System.nanoTime() > nextEtcdProbe) {
                nextEtcdProbe = System.nanoTime() + 1_000_000_000L;
                Formed formed = etcdFormed(env, machines);
                if (formed != null) {
                    say("waiting for etcd: 3 voting members, cluster " + formed.clusterId() + " ... OK");
                    return formed;
                }
            }
            Thread.sleep(250);
        }
        return null;
    }

    static Formed etcdFormed(LocalEnvironment env, List<Machine> machines) {
        String kilnconfig = EtcdReport.kilnconfig(env.client(), LocalEnvironment.NAMESPACE, CLUSTER).orElse(null);
        if (kilnconfig == null) {
            return null;
        }
        List<String> nodes = controlPlaneNodes(env, machines);
        List<EtcdReport.NodeView> views = EtcdReport.ask(kilnconfig, nodes);
        Set<Long> clusterIds = new HashSet<>();
        for (EtcdReport.NodeView view : views) {
            if (!view.answered() || view.members().size() != 3
                    || view.members().stream().anyMatch(EtcdMember::getIsLearner)) {
                return null;
            }
            clusterIds.add(view.status().getClusterId());
        }
        if (views.size() != 3 || clusterIds.size() != 1) {
            return null;
        }
        return new Formed(machines, views, Long.toHexString(clusterIds.iterator().next()));
    }

    static boolean isControlPlane(Machine machine) {
        return machine.getMetadata().getLabels() != null
                && machine.getMetadata().getLabels().containsKey(Machine.CONTROL_PLANE_LABEL);
    }

    /** The machine API addresses (host:port) of the control-plane Machines, from their KilnServers. */
    static List<String> controlPlaneNodes(LocalEnvironment env, List<Machine> machines) {
        List<String> nodes = new ArrayList<>();
        for (Machine machine : machines) {
            if (isControlPlane(machine)) {
                nodes.add(address(env, machine));
            }
        }
        return nodes;
    }

    static String address(LocalEnvironment env, Machine machine) {
        String providerId = machine.getSpec().getProviderID();
        if (providerId == null || !providerId.startsWith("kiln://")) {
            return "?";
        }
        String server = providerId.substring("kiln://".length());
        return env.machines().list().stream().filter(m -> m.name().equals(server)).map(Machines.Machine::endpoint)
                .findFirst().orElse("?");
    }

    static void summary(LocalEnvironment env, Formed formed, Duration toForm, Path out) throws IOException {
        KubernetesClient client = env.client();
        System.out.println();
        System.out.println("cluster " + CLUSTER + " formed in " + String.format("%.1f s", toForm.toMillis() / 1000.0)
                + " (from applying examples/ to 5 Machines Running and 3 healthy etcd voters)");
        System.out.println();
        System.out.printf("%-22s %-14s %-9s %-18s %s%n", "MACHINE", "ROLE", "PHASE", "PROVIDER ID", "ADDRESS");
        List<Machine> machines = new ArrayList<>(formed.machines());
        machines.sort(Comparator.comparing((Machine m) -> !isControlPlane(m))
                .thenComparing(m -> m.getMetadata().getName()));
        for (Machine m : machines) {
            System.out.printf("%-22s %-14s %-9s %-18s %s%n", m.getMetadata().getName(),
                    isControlPlane(m) ? "control plane" : "worker", m.getStatus().getPhase(),
                    m.getSpec().getProviderID(), address(env, m));
        }
        System.out.println();
        EtcdReport.NodeView first = formed.views().get(0);
        Map<Long, Long> leaders = new HashMap<>();
        for (EtcdReport.NodeView view : formed.views()) {
            leaders.merge(view.status().getLeader(), 1L, Long::sum);
        }
        long leader = leaders.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(0L);
        System.out.println("etcd cluster " + formed.clusterId() + " (asked " + first.node()
                + " and every other control-plane node over the machine API)");
        System.out.printf("%-18s %-22s %-8s %-7s %s%n", "MEMBER ID", "NAME", "LEARNER", "LEADER", "PEER URLS");
        for (EtcdMember member : first.members()) {
            System.out.printf("%-18s %-22s %-8s %-7s %s%n", Long.toHexString(member.getId()), member.getHostname(),
                    member.getIsLearner(), member.getId() == leader ? "*" : "",
                    String.join(",", member.getPeerUrlsList()));
        }
        ConfigMap record = client.configMaps().inNamespace(LocalEnvironment.NAMESPACE)
                .withName(CLUSTER + "-kiln-bootstrap").get();
        if (record != null) {
            System.out.println("bootstrap record: machine " + record.getData().get("machine") + ", completed "
                    + record.getData().get("completed") + ", etcd cluster " + record.getData().get("etcdClusterId"));
        }
        System.out.println();
        StringBuilder rss = new StringBuilder("peak RSS (VmHWM): operator " + PeakRss.mib(env.operator().process().toHandle()));
        for (Machines.Machine m : env.machines().list()) {
            List<ProcessHandle> children = m.launcher().descendants().toList();
            String nodeInit = children.stream().filter(p -> p.info().command().orElse("").endsWith("java"))
                    .findFirst().map(PeakRss::mib).orElse("?");
            String etcd = children.stream().filter(p -> p.info().command().orElse("").endsWith("etcd"))
                    .findFirst().map(PeakRss::mib).orElse(null);
            rss.append("; ").append(m.name()).append(" node-init ").append(nodeInit)
                    .append(etcd == null ? "" : " etcd " + etcd);
        }
        System.out.println(rss);
        System.out.println();
        Files.createDirectories(out);
        String kubeconfig = EtcdReport.kubeconfig(client, LocalEnvironment.NAMESPACE, CLUSTER).orElse(null);
        if (kubeconfig != null) {
            Files.writeString(out.resolve("kubeconfig"), kubeconfig);
            System.out.println("kubeconfig: " + out.resolve("kubeconfig"));
        } else {
            System.out.println("kubeconfig: the " + CLUSTER + "-kubeconfig Secret is missing");
        }
        String kilnconfig = EtcdReport.kilnconfig(client, LocalEnvironment.NAMESPACE, CLUSTER).orElseThrow();
        Files.writeString(out.resolve("kilnconfig"), kilnconfig);
        System.out.println("kilnconfig: " + out.resolve("kilnconfig") + "   (KILNCONFIG=" + out.resolve("kilnconfig")
                + " hack/kilnctl etcd members -n " + first.node().replace(":" + Machines.PORT, "") + ")");
        Path management = env.api().writeUserKubeconfig(out.resolve("management.kubeconfig"));
        System.out.println("management API: " + management + "   (KUBECONFIG=" + management
                + " hack/kubectl get clusters,machines,kilncontrolplanes; hack/kubectl scale kilncontrolplane " + CLUSTER
                + " --replicas 5)");
        System.out.println();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
