package dev.kiln.testenv.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testenv.rbac.ApiRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RbacPolicyTest {

    private static final String BINDINGS = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: op}
            rules:
              - apiGroups: [cluster.x-k8s.io]
                resources: [machines, machines/status]
                verbs: [get, list]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: op}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: op}
            subjects: [{kind: ServiceAccount, name: op, namespace: kiln}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: lease, namespace: kiln}
            rules:
              - apiGroups: [coordination.k8s.io]
                resources: [leases]
                verbs: [get]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: lease, namespace: kiln}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lease}
            subjects: [{kind: ServiceAccount, name: op, namespace: kiln}]
            """;

    private final RbacPolicy policy = RbacPolicy.of(RenderedManifests.parse(BINDINGS), "op", "kiln");

    @Test
    void aClusterRoleAllowsItsVerbsEverywhereAndNothingElse() {
        assertTrue(policy.allows(new ApiRequest("list", "cluster.x-k8s.io", "machines", "", "")));
        assertTrue(policy.allows(new ApiRequest("get", "cluster.x-k8s.io", "machines", "status", "tenants")));
        assertFalse(policy.allows(new ApiRequest("delete", "cluster.x-k8s.io", "machines", "", "tenants")));
        assertFalse(policy.allows(new ApiRequest("get", "", "machines", "", "tenants")), "another group");
    }

    @Test
    void aRoleAllowsOnlyInItsNamespace() {
        assertTrue(policy.allows(new ApiRequest("get", "coordination.k8s.io", "leases", "", "kiln")));
        assertFalse(policy.allows(new ApiRequest("get", "coordination.k8s.io", "leases", "", "default")));
    }

    @Test
    void anotherAccountGetsNothing() {
        RbacPolicy other = RbacPolicy.of(RenderedManifests.parse(BINDINGS), "op", "elsewhere");
        assertEquals(Set.of(), other.grants());
    }

    @Test
    void grantsNoRequestUsedAreReported() {
        List<RbacPolicy.Grant> unused = policy.unused(Set.of(
                new ApiRequest("get", "cluster.x-k8s.io", "machines", "", "default"),
                new ApiRequest("list", "cluster.x-k8s.io", "machines", "", "")));
        assertEquals(List.of("get cluster.x-k8s.io/machines/status in *", "get coordination.k8s.io/leases in kiln",
                "list cluster.x-k8s.io/machines/status in *"), unused.stream().map(Object::toString).toList());
    }

    @Test
    void wildcardsAreRecognised() {
        assertTrue(new RbacPolicy.Grant("*", "*", "machines", "get").isWildcard());
        assertFalse(new RbacPolicy.Grant("*", "cluster.x-k8s.io", "machines", "get").isWildcard());
    }
}
