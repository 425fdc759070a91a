package dev.kiln.testenv.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiRequestTest {

    private static ApiRequest read(String method, String path) {
        return ApiRequest.of(method, path).orElseThrow();
    }

    @Test
    void getOfOneObjectIsGetAndOfACollectionList() {
        assertEquals(new ApiRequest("get", "", "secrets", "", "default"),
                read("GET", "/api/v1/namespaces/default/secrets/demo-kubeconfig"));
        assertEquals(new ApiRequest("list", "infrastructure.cluster.x-k8s.io", "kilnservers", "", "default"),
                read("GET", "/apis/infrastructure.cluster.x-k8s.io/v1alpha1/namespaces/default/kilnservers?labelSelector=a%3Db"));
    }

    @Test
    void watchOfAllNamespacesIsAClusterWideWatch() {
        assertEquals(new ApiRequest("watch", "cluster.x-k8s.io", "machines", "", ""),
                read("GET", "/apis/cluster.x-k8s.io/v1beta1/machines?allowWatchBookmarks=true&watch=true"));
    }

    @Test
    void writesMapToCreateUpdatePatchDeleteAndDeletecollection() {
        String configMaps = "/api/v1/namespaces/kiln/configmaps";
        assertEquals("create", read("POST", configMaps).verb());
        assertEquals("update", read("PUT", configMaps + "/claim").verb());
        assertEquals("patch", read("PATCH", configMaps + "/claim").verb());
        assertEquals("delete", read("DELETE", configMaps + "/claim").verb());
        assertEquals("deletecollection", read("DELETE", configMaps).verb());
    }

    @Test
    void aSubresourceIsKeptApartFromItsResource() {
        ApiRequest status = read("PATCH",
                "/apis/controlplane.cluster.x-k8s.io/v1alpha1/namespaces/default/kilncontrolplanes/demo/status");
        assertEquals("status", status.subresource());
        assertEquals("kilncontrolplanes/status", status.ruleResource());
    }

    @Test
    void namespacesThemselvesAreClusterScoped() {
        assertEquals(new ApiRequest("get", "", "namespaces", "", ""), read("GET", "/api/v1/namespaces/kiln-system"));
    }

    @Test
    void nonResourcePathsAreLeftOut() {
        assertEquals(Optional.empty(), ApiRequest.of("GET", "/version"));
        assertEquals(Optional.empty(), ApiRequest.of("GET", "/apis"));
    }

    @Test
    void aLineReadsBackAsTheSameRequest() {
        ApiRequest request = new ApiRequest("patch", "", "events", "", "");
        assertEquals("patch\t-\tevents\t-\t-", request.toLine());
        assertEquals(request, ApiRequest.fromLine(request.toLine()));
    }
}
