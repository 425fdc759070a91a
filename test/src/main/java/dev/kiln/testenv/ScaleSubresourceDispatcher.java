package dev.kiln.testenv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher (indexed, {@link IndexedCrudDispatcher}) plus what it lacks for Kiln's kinds and Cluster API's: the {@code /scale} subresource
 * (GET, PUT, PATCH) of custom resources whose registered CRD declares one, answered from and written to the paths
 * the CRD names, as a real API server does; the API {@link Discovery} documents kubectl needs; and the
 * {@link Tripwires} tests arm (test support).
 */
final class ScaleSubresourceDispatcher extends IndexedCrudDispatcher {

    private static final Pattern SCALE =
            Pattern.compile("^/apis/([^/]+)/([^/]+)/namespaces/([^/]+)/([^/]+)/([^/?]+)/scale(\\?.*)?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record ScalePaths(String specReplicas, String statusReplicas, String labelSelector) {
    }

    private final Tripwires tripwires = new Tripwires();
    private final Discovery discovery = new Discovery(this::handleGet);

    Tripwires tripwires() {
        return tripwires;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        if (!tripwires.armed()) {
            return serve(request);
        }
        // getBytes leaves the body in place for the CRUD dispatcher, which reads it once
        String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
        MockResponse response = serve(request);
        tripwires.served(request.getMethod(), request.getPath(), body, response.code());
        return response;
    }

    private MockResponse serve(RecordedRequest request) {
        Optional<MockResponse> discovered = discovery.answer(request.getMethod(), request.getPath());
        if (discovered.isPresent()) {
            return discovered.get();
        }
        Matcher scale = SCALE.matcher(request.getPath());
        if (!scale.matches()) {
            return super.dispatch(request);
        }
        String group = scale.group(1);
        String version = scale.group(2);
        String plural = scale.group(4);
        String objectPath = "/apis/%s/%s/namespaces/%s/%s/%s".formatted(group, version, scale.group(3), plural,
                scale.group(5));
        try {
            ScalePaths paths = scalePaths(group, version, plural);
            if (paths == null) {
                return status(404, "NotFound", plural + "." + group + " has no scale subresource");
            }
            return switch (request.getMethod()) {
                case "GET" -> scaleOf(objectPath, paths);
                case "PUT", "PATCH" -> writeReplicas(request, objectPath, paths);
                default -> status(405, "MethodNotAllowed", request.getMethod() + " on a scale subresource");
            };
        } catch (IOException | RuntimeException e) {
            return status(400, "BadRequest", "scale subresource: " + e.getMessage());
        }
    }

    private ScalePaths scalePaths(String group, String version, String plural) throws IOException {
        MockResponse crd = handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + plural + "." + group);
        if (crd.code() != 200) {
            return null;
        }
        for (JsonNode served : JSON.readTree(body(crd)).path("spec").path("versions")) {
            JsonNode subresource = served.path("subresources").path("scale");
            if (served.path("name").asText().equals(version) && subresource.isObject()) {
                return new ScalePaths(subresource.path("specReplicasPath").asText(),
                        subresource.path("statusReplicasPath").asText(),
                        subresource.path("labelSelectorPath").asText(null));
            }
        }
        return null;
    }

    private MockResponse scaleOf(String objectPath, ScalePaths paths) throws IOException {
        MockResponse object = handleGet(objectPath);
        if (object.code() != 200) {
            return object;
        }
        JsonNode resource = JSON.readTree(body(object));
        ObjectNode scale = JSON.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
            if (resource.path("metadata").has(field)) {
                metadata.set(field, resource.path("metadata").get(field));
            }
        }
        scale.putObject("spec").put("replicas", at(resource, paths.specReplicas()).asInt(0));
        ObjectNode status = scale.putObject("status").put("replicas", at(resource, paths.statusReplicas()).asInt(0));
        if (paths.labelSelector() != null && !at(resource, paths.labelSelector()).isMissingNode()) {
            status.put("selector", at(resource, paths.labelSelector()).asText());
        }
        return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(scale));
    }

    private MockResponse writeReplicas(RecordedRequest request, String objectPath, ScalePaths paths)
            throws IOException {
        JsonNode body = JSON.readTree(request.getUtf8Body());
        JsonNode replicas = body.isArray() ? replicasFromJsonPatch(body) : body.path("spec").path("replicas");
        if (!replicas.isInt() || replicas.asInt() < 0) {
            return status(422, "Invalid", "spec.replicas: must be a non-negative integer, got " + replicas);
        }
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode parent = patch;
        String[] segments = paths.specReplicas().substring(1).split("\\.");
        for (int i = 0; i < segments.length - 1; i++) {
            parent = parent.putObject(segments[i]);
        }
        parent.put(segments[segments.length - 1], replicas.asInt());
        MockResponse patched = handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, objectPath,
                Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
                new Buffer(JSON.writeValueAsBytes(patch))));
        // the CRUD dispatcher answers a patch with 202, where a real server says 200 with the Scale
        return patched.code() / 100 == 2 ? scaleOf(objectPath, paths) : patched;
    }

    private static JsonNode replicasFromJsonPatch(JsonNode operations) {
        for (JsonNode operation : operations) {
            if ("/spec/replicas".equals(operation.path("path").asText())) {
                return operation.path("value");
            }
        }
        return JSON.missingNode();
    }

    private static JsonNode at(JsonNode resource, String dottedPath) {
        JsonNode node = resource;
        for (String segment : dottedPath.substring(1).split("\\.")) {
            node = node.path(segment);
        }
        return node;
    }

    private static String body(MockResponse response) {
        return response.getBody().readString(StandardCharsets.UTF_8);
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("reason", reason).put("message", message).put("code", code);
        return new MockResponse().setResponseCode(code).setBody(status.toString());
    }
}
