package io.flinkcommander.rbac;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One request to the Kubernetes API as its RBAC authorizer sees it: the verb, API group, resource,
 * subresource and namespace the API server derives from the method and path (its "request info").
 *
 * <p>{@code namespace} is empty for a request that is not scoped to a namespace: an all-namespaces
 * list or watch of a namespaced resource, or any request for a cluster-scoped resource. A Role
 * cannot grant those; a ClusterRole can.
 *
 * <p>A request outside {@code /api} and {@code /apis} (or a discovery path such as {@code /apis/g/v})
 * is a non-resource request: {@code resource} is empty and {@code nonResourcePath} holds its path.
 *
 * @param example one path that made this request, to quote in messages (not part of equality)
 */
public record RbacRequest(String verb, String apiGroup, String resource, String subresource, String namespace,
        String nonResourcePath, String example) {

    private static final String SEPARATOR = "\t";

    /** What the API server's authorizer sees of {@code method} on {@code pathWithQuery}. */
    public static RbacRequest of(String method, String pathWithQuery) {
        int queryStart = pathWithQuery.indexOf('?');
        String path = queryStart < 0 ? pathWithQuery : pathWithQuery.substring(0, queryStart);
        String query = queryStart < 0 ? "" : pathWithQuery.substring(queryStart + 1);
        List<String> parts = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();

        String group;
        List<String> rest;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            rest = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            rest = parts.subList(3, parts.size());
        } else {
            return nonResource(method, path);
        }
        if (rest.isEmpty()) {
            return nonResource(method, path); // discovery of a group version
        }
        boolean watchPath = rest.get(0).equals("watch"); // the old /api/v1/watch/... form
        if (watchPath) {
            rest = rest.subList(1, rest.size());
        }
        String namespace = "";
        if (rest.size() >= 2 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            // /namespaces/{name} alone is the Namespace object itself
            rest = rest.size() == 2 ? rest : rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        return new RbacRequest(verb(method, !name.isEmpty(), watchPath || isWatch(query)), group, resource,
                subresource, namespace, "", path);
    }

    /** Reads a line written by {@link #toLine()}. */
    public static RbacRequest parse(String line) {
        String[] f = line.split(SEPARATOR, -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("Not a recorded request (7 tab-separated fields): " + line);
        }
        return new RbacRequest(f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }

    /** One line, tab-separated, for the record files. */
    public String toLine() {
        return String.join(SEPARATOR, verb, apiGroup, resource, subresource, namespace, nonResourcePath, example);
    }

    public boolean isResourceRequest() {
        return nonResourcePath.isEmpty();
    }

    /** Not scoped to one namespace: needs a ClusterRole. */
    public boolean isClusterWide() {
        return isResourceRequest() && namespace.isEmpty();
    }

    /** {@code resource} or {@code resource/subresource}, as RBAC rules name it. */
    public String resourceWithSubresource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }

    /** What a rule must grant, without the namespace: e.g. {@code patch flink.apache.org/flinkdeployments}. */
    public Permission permission() {
        return new Permission(verb, apiGroup, resourceWithSubresource());
    }

    /** Equal when everything but the example path is equal: the record files hold each request once. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RbacRequest r && verb.equals(r.verb) && apiGroup.equals(r.apiGroup)
                && resource.equals(r.resource) && subresource.equals(r.subresource)
                && namespace.equals(r.namespace) && nonResourcePath.equals(r.nonResourcePath);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(verb, apiGroup, resource, subresource, namespace, nonResourcePath);
    }

    private static RbacRequest nonResource(String method, String path) {
        return new RbacRequest(method.toLowerCase(Locale.ROOT), "", "", "", "", path, path);
    }

    private static boolean isWatch(String query) {
        for (String param : query.split("&")) {
            if (param.equals("watch=true") || param.equals("watch=1")) {
                return true;
            }
        }
        return false;
    }

    /** The API server's verbs: GET is get, list or watch; DELETE of a collection is deletecollection. */
    private static String verb(String method, boolean named, boolean watch) {
        switch (method.toUpperCase(Locale.ROOT)) {
            case "GET":
            case "HEAD":
                return watch ? "watch" : named ? "get" : "list";
            case "POST":
                return "create";
            case "PUT":
                return "update";
            case "PATCH":
                return "patch";
            case "DELETE":
                return named ? "delete" : "deletecollection";
            default:
                return method.toLowerCase(Locale.ROOT);
        }
    }

    /** A verb on a resource of a group, as one rule of a Role grants it. */
    public record Permission(String verb, String apiGroup, String resource) implements Comparable<Permission> {

        @Override
        public int compareTo(Permission o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource;
        }
    }
}
