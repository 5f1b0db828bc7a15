package io.flinkcommander.observe;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.fabric8.kubernetes.client.KubernetesClient;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * Ready only while the Kubernetes API answers and serves FlinkDeployments: without the CRDs
 * every command would fail, so the replica should not take traffic.
 */
@Readiness
@ApplicationScoped
public class KubernetesApiReadiness implements HealthCheck {

    private final KubernetesClient client;

    public KubernetesApiReadiness(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kubernetes-api").withData("url", client.getMasterUrl().toString());
        try {
            client.resources(FlinkDeployment.class).inNamespace(client.getNamespace()).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
