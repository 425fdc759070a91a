package dev.kiln.machinery.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Value rules for a {@link MachineConfig}: required fields, formats, certificates and cross-field rules. Used for
 * configs built in code and, by {@link ConfigParser}, for every parsed config.
 */
public final class ConfigValidator {

    static final String MACHINE_TYPE_MESSAGE = "must be controlplane or worker";
    static final String REQUIRED = "is required";

    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    // Linux's HOST_NAME_MAX, and RFC 5280's bound on the certificate common name the node issues for it.
    private static final int MAX_HOSTNAME_LENGTH = 64;

    /** Every problem with {@code config}, in document order; empty when it is valid. */
    public List<ConfigProblem> validate(MachineConfig config) {
        Problems problems = new Problems();
        if (problems.required("version", config.version()) && !MachineConfig.VERSION.equals(config.version())) {
            problems.add("version", "must be " + MachineConfig.VERSION);
        }
        MachineType type = null;
        if (problems.required("machine", config.machine())) {
            type = config.machine().type();
            checkMachine(config.machine(), problems);
        }
        if (problems.required("cluster", config.cluster())) {
            checkCluster(config.cluster(), type, problems);
        }
        return problems.list;
    }

    private void checkMachine(MachineSection machine, Problems problems) {
        problems.required("machine.type", machine.type());
        checkToken("machine.token", machine.token(), true, problems);
        checkPemPair("machine.ca", machine.ca(), false, problems);
        for (int i = 0; i < machine.certSANs().size(); i++) {
            String san = machine.certSANs().get(i);
            if (san.isEmpty()) {
                problems.add("machine.certSANs[" + i + "]", "must not be empty");
            } else if (!NetworkNames.isSubjectAltName(san)) {
                problems.add("machine.certSANs[" + i + "]", NetworkNames.SAN_MESSAGE);
            }
        }
        if (machine.network() != null && present(machine.network().hostname())
                && !isHostname(machine.network().hostname())) {
            problems.add("machine.network.hostname",
                    "must be an RFC 1123 hostname of at most " + MAX_HOSTNAME_LENGTH
                            + " characters (dot-separated labels of lowercase letters, digits and '-')");
        }
    }

    private void checkCluster(ClusterSection cluster, MachineType type, Problems problems) {
        // Talos wrote the id in URL-safe base64 before 1.14; it stays as written (it seeds the etcd cluster token).
        if (problems.required("cluster.id", cluster.id()) && !PemContent.isBase64OrUrlSafeBase64(cluster.id())) {
            problems.add("cluster.id", "must be base64 (standard or URL-safe)");
        }
        checkBase64("cluster.secret", cluster.secret(), problems);
        // Talos leaves clusterName out of worker configs; a control-plane node names its etcd cluster token after it.
        boolean named = type == MachineType.WORKER ? present(cluster.clusterName())
                : problems.required("cluster.clusterName", cluster.clusterName());
        if (named && !isDnsLabel(cluster.clusterName())) {
            problems.add("cluster.clusterName",
                    "must be a DNS-1123 label (at most 63 lowercase letters, digits and '-', starting and ending alphanumeric)");
        }
        if (problems.required("cluster.controlPlane", cluster.controlPlane())) {
            String endpoint = cluster.controlPlane().endpoint();
            if (problems.required("cluster.controlPlane.endpoint", endpoint)) {
                checkHttpsUrl("cluster.controlPlane.endpoint", endpoint, problems);
            }
        }
        checkToken("cluster.token", cluster.token(), false, problems);
        checkPemPair("cluster.ca", cluster.ca(), false, problems);
        checkPemPair("cluster.aggregatorCA", cluster.aggregatorCA(), false, problems);
        if (cluster.serviceAccount() != null
                && problems.required("cluster.serviceAccount.key", cluster.serviceAccount().key())
                && !PemContent.isPrivateKey(cluster.serviceAccount().key())) {
            problems.add("cluster.serviceAccount.key", privateKeyMessage());
        }
        if (cluster.etcd() == null) {
            if (type == MachineType.CONTROLPLANE) {
                problems.add("cluster.etcd", "is required for a controlplane machine");
            }
        } else {
            checkEtcd(cluster.etcd(), problems);
        }
    }

    private void checkEtcd(EtcdSection etcd, Problems problems) {
        if (problems.required("cluster.etcd.ca", etcd.ca())) {
            checkPemPair("cluster.etcd.ca", etcd.ca(), true, problems);
        }
        etcd.extraArgs().forEach((name, value) -> {
            if (name.isEmpty()) {
                problems.add("cluster.etcd.extraArgs", "argument names must not be empty");
                return;
            }
            String path = "cluster.etcd.extraArgs." + name;
            EtcdArguments.problem(name).or(() -> EtcdArguments.valueProblem(value))
                    .ifPresent(message -> problems.add(path, message));
        });
        for (int i = 0; i < etcd.peers().size(); i++) {
            checkHttpsUrl("cluster.etcd.peers[" + i + "]", etcd.peers().get(i), problems);
        }
    }

    private static void checkHttpsUrl(String path, String value, Problems problems) {
        if (!isHttpsUrl(value)) {
            problems.add(path, httpsUrlMessage());
        } else if (!NetworkNames.isUrlHost(URI.create(value).getHost())) {
            problems.add(path, "its host " + NetworkNames.HOST_MESSAGE);
        }
    }

    private void checkPemPair(String path, PemPair pair, boolean keyRequired, Problems problems) {
        if (pair == null) {
            return;
        }
        if (problems.required(path + ".crt", pair.crt()) && !PemContent.isCertificate(pair.crt())) {
            problems.add(path + ".crt", "not a valid base64 PEM certificate");
        }
        boolean keyPresent = keyRequired ? problems.required(path + ".key", pair.key()) : present(pair.key());
        if (keyPresent && !PemContent.isPrivateKey(pair.key())) {
            problems.add(path + ".key", privateKeyMessage());
        }
    }

    private void checkToken(String path, String token, boolean required, Problems problems) {
        boolean isPresent = required ? problems.required(path, token) : present(token);
        if (isPresent && !TOKEN.matcher(token).matches()) {
            problems.add(path, "must have the form [a-z0-9]{6}.[a-z0-9]{16}");
        }
    }

    private void checkBase64(String path, String value, Problems problems) {
        if (problems.required(path, value) && !PemContent.isBase64(value)) {
            problems.add(path, "must be base64");
        }
    }

    private static String httpsUrlMessage() {
        return "must be an https URL";
    }

    private static String privateKeyMessage() {
        return "not a valid base64 PEM private key";
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    static boolean isDnsLabel(String value) {
        return value.length() <= 63 && DNS_LABEL.matcher(value).matches();
    }

    static boolean isHostname(String value) {
        if (value.length() > MAX_HOSTNAME_LENGTH) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!isDnsLabel(label)) {
                return false;
            }
        }
        return true;
    }

    /** True for {@code https://host[:port]} with at most a trailing slash: no user info, path, query or fragment. */
    static boolean isHttpsUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return false;
        }
        String path = uri.getRawPath();
        return "https".equalsIgnoreCase(uri.getScheme())
                && uri.getHost() != null
                && uri.getRawUserInfo() == null
                && (path == null || path.isEmpty() || path.equals("/"))
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && (uri.getPort() == -1 || (uri.getPort() >= 1 && uri.getPort() <= 65535));
    }

    /** Collects problems; {@code required} reports a missing value and says whether checks can go on. */
    private static final class Problems {
        private final List<ConfigProblem> list = new ArrayList<>();

        void add(String path, String message) {
            list.add(new ConfigProblem(path, message));
        }

        boolean required(String path, Object value) {
            if (value == null || (value instanceof String && ((String) value).isEmpty())) {
                add(path, REQUIRED);
                return false;
            }
            return true;
        }
    }
}
