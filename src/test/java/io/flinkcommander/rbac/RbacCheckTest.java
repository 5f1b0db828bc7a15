package io.flinkcommander.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;

class RbacCheckTest {

    static final List<RbacRequest> REQUESTS = List.of(
            RbacRequest.of("GET", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments/orders"),
            RbacRequest.of("PUT", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments/orders"),
            RbacRequest.of("GET", "/apis/flink.apache.org/v1beta1/flinkdeployments?watch=true&resourceVersion=5"),
            RbacRequest.of("PATCH", "/api/v1/namespaces/a/events/orders.1"));

    static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }

    static final List<PolicyRule> EXACT = List.of(
            rule("flink.apache.org", "flinkdeployments", "get", "update", "watch"),
            rule("", "events", "patch"));

    @Test
    void rulesThatGrantExactlyWhatWasUsedPass() {
        assertThat(RbacCheck.problems("Role x", EXACT, REQUESTS)).isEmpty();
    }

    @Test
    void aPermissionUsedButNotGrantedFailsNamingTheRequest() {
        List<PolicyRule> lacking = List.of(rule("flink.apache.org", "flinkdeployments", "get", "watch"),
                rule("", "events", "patch"));

        assertThat(RbacCheck.problems("Role x", lacking, REQUESTS)).containsExactly(
                "used but not granted by Role x: update flink.apache.org/flinkdeployments"
                        + " (e.g. /apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments/orders)");
    }

    @Test
    void aPermissionGrantedButNeverUsedFailsNamingTheRule() {
        List<PolicyRule> generous = List.of(rule("flink.apache.org", "flinkdeployments", "get", "update", "watch"),
                rule("", "events", "patch", "delete"));

        assertThat(RbacCheck.problems("Role x", generous, REQUESTS))
                .containsExactly("granted by Role x but never used: delete core/events (Role x rule 2)");
    }

    @Test
    void wildcardsAreRefused() {
        List<PolicyRule> wildcard = List.of(rule("flink.apache.org", "flinkdeployments", "*"), rule("", "events", "patch"));

        assertThat(RbacCheck.problems("Role x", wildcard, REQUESTS)).contains(
                "Role x rule 1: wildcard in * flink.apache.org/flinkdeployments grants more than the service uses");
    }

    @Test
    void aClusterScopedRequestOtherThanListOrWatchFails() {
        List<RbacRequest> requests = List.of(
                RbacRequest.of("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/flinkdeployments.flink.apache.org"));

        assertThat(RbacCheck.problems("Role x", List.of(rule("apiextensions.k8s.io", "customresourcedefinitions", "get")),
                requests)).containsExactly("cluster-scoped request get apiextensions.k8s.io/customresourcedefinitions"
                        + " (/apis/apiextensions.k8s.io/v1/customresourcedefinitions/flinkdeployments.flink.apache.org):"
                        + " a namespace-scoped Role can never grant it");
    }

    @Test
    void discoveryNeedsNoRuleButOtherNonResourcePathsFail() {
        List<RbacRequest> requests = List.of(RbacRequest.of("GET", "/version"), RbacRequest.of("GET", "/apis"),
                RbacRequest.of("GET", "/metrics"));

        assertThat(RbacCheck.problems("Role x", List.of(), requests)).containsExactly(
                "non-resource request get /metrics is not granted to every client and Role x cannot grant it");
    }

    @Test
    void requestsMapToTheVerbsAndResourcesOfTheApiServersAuthorizer() {
        assertThat(RbacRequest.of("GET", "/apis/coordination.k8s.io/v1/namespaces/a/leases/l"))
                .isEqualTo(new RbacRequest("get", "coordination.k8s.io", "leases", "", "a", "", ""));
        assertThat(RbacRequest.of("GET", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkstatesnapshots?labelSelector=x"))
                .isEqualTo(new RbacRequest("list", "flink.apache.org", "flinkstatesnapshots", "", "a", "", ""));
        assertThat(RbacRequest.of("GET", "/api/v1/namespaces/a/events?fieldSelector=metadata.name%3Dx&watch=true"))
                .isEqualTo(new RbacRequest("watch", "", "events", "", "a", "", ""));
        assertThat(RbacRequest.of("GET", "/api/v1/watch/namespaces/a/events"))
                .isEqualTo(new RbacRequest("watch", "", "events", "", "a", "", ""));
        assertThat(RbacRequest.of("POST", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments"))
                .isEqualTo(new RbacRequest("create", "flink.apache.org", "flinkdeployments", "", "a", "", ""));
        assertThat(RbacRequest.of("PUT", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments/x/status"))
                .isEqualTo(new RbacRequest("update", "flink.apache.org", "flinkdeployments", "status", "a", "", ""));
        assertThat(RbacRequest.of("DELETE", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments"))
                .isEqualTo(new RbacRequest("deletecollection", "flink.apache.org", "flinkdeployments", "", "a", "", ""));
        assertThat(RbacRequest.of("DELETE", "/apis/flink.apache.org/v1beta1/namespaces/a/flinkdeployments/x").verb())
                .isEqualTo("delete");
        // The Namespace object itself is in its own namespace, as the API server sees it.
        assertThat(RbacRequest.of("PATCH", "/api/v1/namespaces/a"))
                .isEqualTo(new RbacRequest("patch", "", "namespaces", "", "a", "", ""));
        assertThat(RbacRequest.of("GET", "/apis/flink.apache.org/v1beta1").isResourceRequest()).isFalse();
    }

    @Test
    void aRecordedLineReadsBackAsTheSameRequest() {
        RbacRequest request = RbacRequest.of("PATCH", "/api/v1/namespaces/a/events/e1");

        RbacRequest read = RbacRequest.parse(request.toLine());

        assertThat(read).isEqualTo(request);
        assertThat(read.example()).isEqualTo("/api/v1/namespaces/a/events/e1");
    }
}
