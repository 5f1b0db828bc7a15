package io.flinkcommander.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import io.flinkcommander.rbac.RbacRequest.Permission;

/**
 * Compares what the service asked of the Kubernetes API with what a Role grants, both ways:
 * a request whose verb, group and resource no rule grants is a problem (the service would get a
 * 403), and so is a granted verb on a resource that no request used (more privilege than needed).
 *
 * <p>Rules must be plain: no wildcards, no {@code resourceNames} (the recorded requests do not
 * keep names), no {@code nonResourceURLs}. Requests not scoped to a namespace may only be the
 * all-namespaces lists and watches of an observer without {@code commander.observe.namespaces}:
 * anything else (a cluster-scoped resource) could not work with the namespace-scoped Role at all.
 * Non-resource requests must be discovery or health paths, which Kubernetes' default
 * {@code system:discovery} and {@code system:public-info-viewer} roles grant every client.
 */
public final class RbacCheck {

    /** What every authenticated client may GET without a Role of ours. */
    private static final List<String> PUBLIC_NON_RESOURCE_PREFIXES = List.of(
            "/api", "/apis", "/version", "/healthz", "/livez", "/readyz", "/openapi");

    private RbacCheck() {
    }

    /** Everything wrong with {@code rules} for {@code requests}; empty when they match exactly. */
    public static List<String> problems(String roleName, List<PolicyRule> rules, Collection<RbacRequest> requests) {
        List<String> problems = new ArrayList<>();
        Map<Permission, String> granted = granted(roleName, rules, problems);
        Map<Permission, RbacRequest> used = new TreeMap<>();
        for (RbacRequest request : requests) {
            if (!request.isResourceRequest()) {
                if (!isPublic(request)) {
                    problems.add("non-resource request " + request.verb() + " " + request.nonResourcePath()
                            + " is not granted to every client and " + roleName + " cannot grant it");
                }
                continue;
            }
            if (request.isClusterWide() && !request.verb().equals("list") && !request.verb().equals("watch")) {
                problems.add("cluster-scoped request " + request.permission() + " (" + request.example()
                        + "): a namespace-scoped Role can never grant it");
            }
            used.putIfAbsent(request.permission(), request);
        }
        for (Map.Entry<Permission, RbacRequest> use : used.entrySet()) {
            if (!granted.containsKey(use.getKey())) {
                problems.add("used but not granted by " + roleName + ": " + use.getKey() + " (e.g. "
                        + use.getValue().example() + ")");
            }
        }
        for (Map.Entry<Permission, String> grant : granted.entrySet()) {
            if (!used.containsKey(grant.getKey())) {
                problems.add("granted by " + roleName + " but never used: " + grant.getKey() + " (" + grant.getValue() + ")");
            }
        }
        return problems;
    }

    /** Each verb on each resource a rule grants, with where it is granted. */
    static Map<Permission, String> granted(String roleName, List<PolicyRule> rules, List<String> problems) {
        Map<Permission, String> granted = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            String where = roleName + " rule " + (i + 1);
            if (!rule.getResourceNames().isEmpty()) {
                problems.add(where + ": resourceNames are not supported by this check");
            }
            if (!rule.getNonResourceURLs().isEmpty()) {
                problems.add(where + ": nonResourceURLs have no place in a namespace-scoped Role");
            }
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        if (group.equals("*") || resource.equals("*") || verb.equals("*")) {
                            problems.add(where + ": wildcard in " + verb + " " + group + "/" + resource
                                    + " grants more than the service uses");
                            continue;
                        }
                        if (granted.putIfAbsent(new Permission(verb, group, resource), where) != null) {
                            problems.add(where + ": grants " + new Permission(verb, group, resource)
                                    + " a second time");
                        }
                    }
                }
            }
        }
        return granted;
    }

    /** The permissions {@code rules} grant, for comparing two roles. */
    public static Set<Permission> permissions(List<PolicyRule> rules) {
        return new TreeSet<>(granted("", rules, new ArrayList<>()).keySet());
    }

    private static boolean isPublic(RbacRequest request) {
        if (!request.verb().equals("get") && !request.verb().equals("head")) {
            return false;
        }
        String path = request.nonResourcePath();
        return PUBLIC_NON_RESOURCE_PREFIXES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }
}
