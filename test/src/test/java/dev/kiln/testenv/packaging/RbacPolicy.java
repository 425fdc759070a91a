package dev.kiln.testenv.packaging;

import dev.kiln.testenv.rbac.ApiRequest;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a rendered chart lets one service account do, as RBAC evaluates it: the rules of the ClusterRoles bound to it
 * cluster-wide and of the Roles (or ClusterRoles) bound to it in one namespace.
 */
record RbacPolicy(SortedSet<Grant> grants) {

    /** Everywhere, for grants through a ClusterRoleBinding. */
    static final String ALL_NAMESPACES = "*";

    /** One (group, resource, verb) allowed in a namespace or {@link #ALL_NAMESPACES}; {@code *} is a wildcard. */
    record Grant(String namespace, String group, String resource, String verb) implements Comparable<Grant> {

        boolean allows(ApiRequest request) {
            boolean where = namespace.equals(ALL_NAMESPACES) || namespace.equals(request.namespace());
            return where && matches(group, request.group()) && matches(resource, request.ruleResource())
                    && matches(verb, request.verb());
        }

        boolean isWildcard() {
            return group.equals("*") || resource.equals("*") || verb.equals("*");
        }

        private static boolean matches(String granted, String asked) {
            return granted.equals("*") || granted.equals(asked);
        }

        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource + " in " + namespace;
        }
    }

    static RbacPolicy of(RenderedManifests manifests, String serviceAccount, String serviceAccountNamespace) {
        SortedSet<Grant> grants = new TreeSet<>();
        for (ClusterRoleBinding binding : manifests.all(ClusterRoleBinding.class)) {
            if (binds(binding.getSubjects(), serviceAccount, serviceAccountNamespace)) {
                add(grants, ALL_NAMESPACES, rules(manifests, binding.getRoleRef(), null));
            }
        }
        for (RoleBinding binding : manifests.all(RoleBinding.class)) {
            if (binds(binding.getSubjects(), serviceAccount, serviceAccountNamespace)) {
                String namespace = binding.getMetadata().getNamespace();
                add(grants, namespace, rules(manifests, binding.getRoleRef(), namespace));
            }
        }
        return new RbacPolicy(grants);
    }

    boolean allows(ApiRequest request) {
        return grants.stream().anyMatch(g -> g.allows(request));
    }

    private static boolean binds(List<Subject> subjects, String name, String namespace) {
        return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
                && name.equals(s.getName()) && namespace.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rules(RenderedManifests manifests, RoleRef ref, String namespace) {
        if ("ClusterRole".equals(ref.getKind())) {
            return manifests.all(ClusterRole.class).stream().filter(r -> r.getMetadata().getName().equals(ref.getName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no ClusterRole " + ref.getName()))
                    .getRules();
        }
        return manifests.all(Role.class).stream().filter(r -> r.getMetadata().getName().equals(ref.getName())
                        && r.getMetadata().getNamespace().equals(namespace))
                .findFirst().orElseThrow(() -> new AssertionError("no Role " + namespace + "/" + ref.getName()))
                .getRules();
    }

    private static void add(Set<Grant> grants, String namespace, List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            if (rule.getResourceNames() != null && !rule.getResourceNames().isEmpty()) {
                throw new AssertionError("rules limited to resourceNames are not evaluated here: " + rule);
            }
            if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                throw new AssertionError("the operator needs no non-resource URLs: " + rule);
            }
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(new Grant(namespace, group, resource, verb));
                    }
                }
            }
        }
    }

    /** Grants, ignoring where, that no request in {@code requests} used. */
    List<Grant> unused(Set<ApiRequest> requests) {
        List<Grant> unused = new ArrayList<>();
        for (Grant grant : grants) {
            if (requests.stream().noneMatch(grant::allows)) {
                unused.add(grant);
            }
        }
        return unused;
    }
}
