package dev.kiln.testenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API discovery documents a real API server serves and fabric8's mock lacks ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/GROUP/VERSION}), so that a real kubectl can resolve resource names, subresources and
 * verbs against the management API stand-in. Custom resources come from the CRDs stored in the mock itself; the
 * built-in resources are the few Kiln and its stand-ins use. OpenAPI v3 holds only what kubectl reads to learn that
 * the server takes {@code fieldValidation} (the Namespace PATCH operation, which kubectl checks on behalf of every
 * CRD); the mock ignores that parameter, so no schema is validated (test support).
 */
final class Discovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+)/([^/]+)/?$");
    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

    /** A resource of the API and where its kind lives. */
    private record Resource(String group, String version, String plural, String singular, String kind,
            boolean namespaced, List<String> shortNames, List<String> categories, boolean status, boolean scale) {
    }

    private static final List<Resource> BUILT_IN = List.of(
            builtIn("", "v1", "namespaces", "Namespace", false),
            builtIn("", "v1", "configmaps", "ConfigMap", true),
            builtIn("", "v1", "secrets", "Secret", true),
            builtIn("", "v1", "events", "Event", true),
            builtIn("", "v1", "serviceaccounts", "ServiceAccount", true),
            builtIn("coordination.k8s.io", "v1", "leases", "Lease", true),
            builtIn("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false));

    private final Function<String, MockResponse> get;

    /** @param get reads a path from the mock's own store, as its CRUD dispatcher serves it */
    Discovery(Function<String, MockResponse> get) {
        this.get = get;
    }

    private static Resource builtIn(String group, String version, String plural, String kind, boolean namespaced) {
        return new Resource(group, version, plural, kind.toLowerCase(), kind, namespaced, List.of(), List.of(), false,
                false);
    }

    /** The discovery document at {@code path}, or empty when the path is not a discovery path. */
    Optional<MockResponse> answer(String method, String rawPath) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        if (!"GET".equals(method)) {
            return Optional.empty();
        }
        if (path.equals("/openapi/v3")) {
            ObjectNode root = JSON.createObjectNode();
            root.putObject("paths").putObject("api/v1").put("serverRelativeURL", "/openapi/v3/api/v1?hash=kiln");
            return Optional.of(json(root));
        }
        if (path.equals("/openapi/v3/api/v1")) {
            return Optional.of(json(namespacePatchTakesFieldValidation()));
        }
        if (path.equals("/api") || path.equals("/api/")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs");
            return Optional.of(json(versions));
        }
        if (path.equals("/api/v1") || path.equals("/api/v1/")) {
            return Optional.of(json(resourceList("v1", resources().stream()
                    .filter(r -> r.group().isEmpty() && r.version().equals("v1")).toList())));
        }
        if (path.equals("/apis") || path.equals("/apis/")) {
            return Optional.of(json(groupList()));
        }
        Matcher groupVersion = GROUP_VERSION.matcher(path);
        if (groupVersion.matches()) {
            String group = groupVersion.group(1);
            String version = groupVersion.group(2);
            List<Resource> served = resources().stream()
                    .filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
            if (served.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(json(resourceList(group + "/" + version, served)));
        }
        return Optional.empty();
    }

    private static ObjectNode namespacePatchTakesFieldValidation() {
        ObjectNode doc = JSON.createObjectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "kiln-local");
        ObjectNode patch = doc.putObject("paths").putObject("/api/v1/namespaces/{name}").putObject("patch");
        patch.put("operationId", "patchCoreV1Namespace");
        patch.putObject("x-kubernetes-group-version-kind").put("group", "").put("version", "v1")
                .put("kind", "Namespace");
        patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query");
        patch.putObject("responses").putObject("200").put("description", "OK");
        return doc;
    }

    private ObjectNode groupList() {
        Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
        for (Resource resource : resources()) {
            if (!resource.group().isEmpty()) {
                List<String> versions = versionsByGroup.computeIfAbsent(resource.group(), g -> new ArrayList<>());
                if (!versions.contains(resource.version())) {
                    versions.add(resource.version());
                }
            }
        }
        ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        versionsByGroup.forEach((group, versions) -> {
            ObjectNode entry = groups.addObject().put("name", group);
            ArrayNode served = entry.putArray("versions");
            versions.forEach(v -> served.addObject().put("groupVersion", group + "/" + v).put("version", v));
            entry.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0))
                    .put("version", versions.get(0));
        });
        return list;
    }

    private static ObjectNode resourceList(String groupVersion, List<Resource> resources) {
        ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode entries = list.putArray("resources");
        for (Resource resource : resources) {
            ObjectNode entry = entries.addObject().put("name", resource.plural())
                    .put("singularName", resource.singular()).put("namespaced", resource.namespaced())
                    .put("kind", resource.kind());
            VERBS.forEach(entry.putArray("verbs")::add);
            if (!resource.shortNames().isEmpty()) {
                resource.shortNames().forEach(entry.putArray("shortNames")::add);
            }
            if (!resource.categories().isEmpty()) {
                resource.categories().forEach(entry.putArray("categories")::add);
            }
            if (resource.status()) {
                ObjectNode status = entries.addObject().put("name", resource.plural() + "/status")
                        .put("singularName", "").put("namespaced", resource.namespaced()).put("kind", resource.kind());
                List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
            }
            if (resource.scale()) {
                ObjectNode scale = entries.addObject().put("name", resource.plural() + "/scale")
                        .put("singularName", "").put("namespaced", resource.namespaced()).put("group", "autoscaling")
                        .put("version", "v1").put("kind", "Scale");
                List.of("get", "patch", "update").forEach(scale.putArray("verbs")::add);
            }
        }
        return list;
    }

    /** Built-in resources first, then every served version of every CRD stored in the mock. */
    private List<Resource> resources() {
        List<Resource> all = new ArrayList<>(BUILT_IN);
        MockResponse crds = get.apply("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        if (crds.code() != 200) {
            return all;
        }
        try {
            for (JsonNode crd : JSON.readTree(crds.getBody().readString(StandardCharsets.UTF_8)).path("items")) {
                JsonNode spec = crd.path("spec");
                JsonNode names = spec.path("names");
                for (JsonNode version : spec.path("versions")) {
                    if (!version.path("served").asBoolean(true)) {
                        continue;
                    }
                    all.add(new Resource(spec.path("group").asText(), version.path("name").asText(),
                            names.path("plural").asText(), names.path("singular").asText(),
                            names.path("kind").asText(), "Namespaced".equals(spec.path("scope").asText()),
                            strings(names.path("shortNames")), strings(names.path("categories")),
                            version.path("subresources").has("status"), version.path("subresources").has("scale")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the stored CRDs", e);
        }
        return all;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static MockResponse json(ObjectNode document) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                .setBody(document.toString());
    }
}
