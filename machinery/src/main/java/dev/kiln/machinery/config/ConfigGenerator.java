package dev.kiln.machinery.config;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.SecretsBundle;
import java.util.List;
import java.util.Map;

/**
 * Turns a cluster's secrets bundle into the machine config of one role. Kiln nodes have no trust daemon, so every
 * role carries the machine API CA key to issue its own API certificate; only control-plane configs carry the
 * Kubernetes and etcd CA keys.
 */
public final class ConfigGenerator {

    /** What varies between clusters and machines beyond the secrets. */
    public record Options(String clusterName, String controlPlaneEndpoint, List<String> certSans,
            InstallSection install, String hostname, List<String> etcdPeers) {

        public Options {
            certSans = List.copyOf(certSans);
            etcdPeers = List.copyOf(etcdPeers);
        }

        public static Options of(String clusterName, String controlPlaneEndpoint) {
            return new Options(clusterName, controlPlaneEndpoint, List.of(),
                    new InstallSection("/dev/sda", "kiln/installer:latest", false), null, List.of());
        }

        public Options withHostname(String newHostname) {
            return new Options(clusterName, controlPlaneEndpoint, certSans, install, newHostname, etcdPeers);
        }

        public Options withEtcdPeers(List<String> peers) {
            return new Options(clusterName, controlPlaneEndpoint, certSans, install, hostname, peers);
        }

        public Options withCertSans(List<String> sans) {
            return new Options(clusterName, controlPlaneEndpoint, sans, install, hostname, etcdPeers);
        }

        public Options withInstall(InstallSection newInstall) {
            return new Options(clusterName, controlPlaneEndpoint, certSans, newInstall, hostname, etcdPeers);
        }
    }

    private ConfigGenerator() {
    }

    public static MachineConfig generate(SecretsBundle secrets, MachineType type, Options options) {
        boolean controlPlane = type == MachineType.CONTROLPLANE;
        MachineSection machine = new MachineSection(type, secrets.machineToken(), withKey(secrets.os()),
                options.certSans(), options.install(),
                options.hostname() == null ? null : new NetworkSection(options.hostname()));
        ClusterSection cluster = new ClusterSection(
                secrets.clusterId(),
                secrets.clusterSecret(),
                options.clusterName(),
                new ControlPlaneSection(options.controlPlaneEndpoint()),
                secrets.bootstrapToken(),
                controlPlane ? withKey(secrets.k8s()) : certificateOnly(secrets.k8s()),
                controlPlane ? secrets.k8sAggregator() : null,
                controlPlane ? new ServiceAccountSection(base64(secrets.serviceAccount().privateKeyPem())) : null,
                controlPlane ? new EtcdSection(withKey(secrets.etcd()), Map.of(), options.etcdPeers()) : null);
        return new MachineConfig(MachineConfig.VERSION, false, true, machine, cluster);
    }

    private static PemPair withKey(CertificateAuthority ca) {
        return PemPair.fromPem(ca.certificatePem(), ca.keyPem());
    }

    private static PemPair certificateOnly(CertificateAuthority ca) {
        return PemPair.fromPem(ca.certificatePem(), null);
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
