package dev.kiln.testenv.rbac;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One management API request as RBAC sees it: verb, API group ("" for core), resource, subresource ("" for none) and
 * namespace ("" for cluster scope or all namespaces). Non-resource requests (/version, /apis) are not represented.
 */
public record ApiRequest(String verb, String group, String resource, String subresource, String namespace)
        implements Comparable<ApiRequest> {

    private static final String SEPARATOR = "\t";

    /** The resource as an RBAC rule names it: {@code kilnmachines} or {@code kilnmachines/status}. */
    public String ruleResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /**
     * Reads a request the way kube-apiserver's request info resolver does: GET of one object is get, of a collection
     * list, with {@code watch=true} watch; POST create, PUT update, PATCH patch; DELETE of one object delete, of a
     * collection deletecollection.
     *
     * @param method the HTTP method
     * @param pathAndQuery e.g. {@code /apis/infrastructure.cluster.x-k8s.io/v1alpha1/namespaces/default/kilnmachines?watch=true}
     * @return empty for non-resource paths
     */
    public static Optional<ApiRequest> of(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        List<String> parts = List.of(path.replaceAll("^/+|/+$", "").split("/+"));
        String group;
        int rest;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = 3;
        } else {
            return Optional.empty();
        }
        List<String> tail = parts.subList(rest, parts.size());
        String namespace = "";
        // /namespaces/NS/RESOURCE... is namespaced; /namespaces and /namespaces/NS are the Namespace kind itself
        if (tail.size() >= 3 && tail.get(0).equals("namespaces")) {
            namespace = tail.get(1);
            tail = tail.subList(2, tail.size());
        }
        String resource = tail.get(0);
        boolean named = tail.size() >= 2;
        String subresource = tail.size() >= 3 ? tail.get(2) : "";
        return Optional.of(new ApiRequest(verb(method, named, isWatch(query)), group, resource, subresource,
                namespace));
    }

    private static boolean isWatch(String query) {
        for (String pair : query.split("&")) {
            String p = pair.toLowerCase(Locale.ROOT);
            if (p.equals("watch=true") || p.equals("watch=1")) {
                return true;
            }
        }
        return false;
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("HTTP method " + method + " has no RBAC verb");
        };
    }

    /** One line of the request log: the five fields separated by tabs, {@code -} for an empty field. */
    public String toLine() {
        return String.join(SEPARATOR, verb, dash(group), resource, dash(subresource), dash(namespace));
    }

    /** Reads a line written by {@link #toLine()}. */
    public static ApiRequest fromLine(String line) {
        String[] f = line.split(SEPARATOR, -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("expected 5 tab-separated fields (verb, group, resource, subresource, "
                    + "namespace), got " + f.length + ": '" + line + "'");
        }
        return new ApiRequest(f[0], undash(f[1]), f[2], undash(f[3]), undash(f[4]));
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    private static String undash(String s) {
        return s.equals("-") ? "" : s;
    }

    @Override
    public int compareTo(ApiRequest o) {
        return toLine().compareTo(o.toLine());
    }
}
