package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.flinkcommander.deploy.Manifests;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.rbac.RbacCheck;
import io.flinkcommander.rbac.RbacRequest;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The namespace-scoped install works with its Role alone: configured as {@code k8s/deployment.yaml}
 * configures it (observe and accept commands only in its own namespace, which is also its client's
 * namespace), the service makes no request outside that namespace, so nothing a Role cannot grant,
 * and every request is one the Role grants. The rest of the suite observes all namespaces, as the
 * cluster-wide install does.
 */
@QuarkusTest
@WithTestResource(NamespaceScopedTest.ScopedPlatform.class)
class NamespaceScopedTest {

    /** The pod's namespace: the service's Kubernetes client's namespace on the test platform. */
    static final String OWN = "default";

    /** The platform, with the namespace settings of deployment.yaml and every service request recorded from the start. */
    public static class ScopedPlatform extends FlinkPlatformTestResource {

        static final Set<RbacRequest> REQUESTS = ConcurrentHashMap.newKeySet();

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            REQUESTS.clear();
            platform().kubernetes().traffic().addListener(request -> {
                if (request.fromService()) {
                    REQUESTS.add(RbacRequest.of(request.method(), request.path()));
                }
            });
            config.put("commander.observe.namespaces", OWN);
            config.put("commander.policy.namespaces", OWN);
            return config;
        }
    }

    @Test
    void theServiceStaysInItsNamespaceAndNeedsNothingTheRoleLacks() {
        CommandBus bus = CommandBus.shared();
        EventTap events = EventTap.shared();

        assertThat(bus.awaitResult(bus.sendStructured("flink.job.deploy", OWN + "/scoped", CommandFlowTest.deployData(1)))
                .get("outcome").asText()).isEqualTo("APPLIED");
        events.await(OWN + "/scoped", EventTap.lifecycleTo("STABLE"));
        assertThat(bus.awaitResult(bus.sendStructured("flink.job.savepoint", OWN + "/scoped", "{}"))
                .get("outcome").asText()).isEqualTo("APPLIED");
        events.await(OWN + "/scoped", e -> "flink.savepoint.completed".equals(e.type()));
        JsonNode elsewhere = bus.awaitResult(bus.sendStructured("flink.job.deploy", "elsewhere/scoped",
                CommandFlowTest.deployData(1)));
        assertThat(elsewhere.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(elsewhere.get("reason").asText()).isEqualTo("PolicyViolation");

        Set<RbacRequest> requests = ScopedPlatform.REQUESTS;
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.stream().anyMatch(r -> r.apiGroup().equals("coordination.k8s.io")));
        assertThat(requests.stream().filter(RbacRequest::isResourceRequest).map(RbacRequest::namespace))
                .as("namespaces of the service's requests").containsOnly(OWN);
        Role role = Manifests.load(Path.of("k8s", "role.yaml"), Role.class);
        assertThat(RbacCheck.permissions(role.getRules()))
                .containsAll(requests.stream().filter(RbacRequest::isResourceRequest).map(RbacRequest::permission).toList());
    }
}
