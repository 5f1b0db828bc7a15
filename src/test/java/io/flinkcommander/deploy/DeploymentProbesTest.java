package io.flinkcommander.deploy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The paths the manifests point Kubernetes and Prometheus at are the running service's: the
 * Deployment's probes answer 200 once the service is up, and the monitors' path serves the metrics.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class DeploymentProbesTest {

    static Container container() {
        return Manifests.load(Manifests.K8S.resolve("deployment.yaml"), Deployment.class)
                .getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void theDeploymentsProbesAnswerOkFromTheRunningService() {
        Container container = container();

        for (var probe : java.util.List.of(container.getStartupProbe(), container.getLivenessProbe(),
                container.getReadinessProbe())) {
            String path = probe.getHttpGet().getPath();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get(path).then().statusCode(200));
        }
    }

    @Test
    void theMonitorsScrapePathServesTheServicesMetrics() {
        GenericKubernetesResource monitor = Manifests.load(
                Manifests.K8S.resolve("monitoring/service-monitor/servicemonitor.yaml"), GenericKubernetesResource.class);
        String path = monitor.get("spec", "endpoints", 0, "path");

        given().when().get(path).then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }
}
