package io.flinkcommander.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What {@code kubectl apply -k} would apply: the kustomizations rendered by kubectl's built-in
 * kustomize. Skipped where kubectl is not installed (the per-file checks in ManifestsTest still run).
 */
class KustomizeBuildTest {

    static List<HasMetadata> build(Path directory) throws IOException, InterruptedException {
        Process kubectl;
        try {
            kubectl = new ProcessBuilder("kubectl", "kustomize", directory.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            assumeTrue(false, "kubectl is not installed: " + e.getMessage());
            throw e;
        }
        byte[] out = kubectl.getInputStream().readAllBytes();
        String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(kubectl.exitValue()).as("kubectl kustomize " + directory + ": " + err).isZero();
        Object objects = new KubernetesSerialization().unmarshal(new ByteArrayInputStream(out));
        @SuppressWarnings("unchecked")
        List<HasMetadata> list = (List<HasMetadata>) objects;
        return list;
    }

    static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
    }

    @Test
    void theBaseIsNamespaceScoped() throws Exception {
        List<HasMetadata> objects = build(Manifests.K8S);

        assertThat(kinds(objects)).containsExactly("ConfigMap/flink-commander-config", "Deployment/flink-commander",
                "PodDisruptionBudget/flink-commander", "Role/flink-commander", "RoleBinding/flink-commander",
                "Service/flink-commander", "ServiceAccount/flink-commander");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("flink"));
    }

    @Test
    void theClusterWideComponentSwapsTheRoleForAClusterRoleAndWatchesAllNamespaces() throws Exception {
        Path overlay = Path.of("target", "kustomize-cluster-wide");
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "namespace: team-a",
                "resources: [../../k8s]", "components: [../../k8s/cluster-wide]", ""));

        List<HasMetadata> objects = build(overlay);

        assertThat(kinds(objects)).containsExactly("ClusterRole/flink-commander", "ClusterRoleBinding/flink-commander",
                "ConfigMap/flink-commander-config", "Deployment/flink-commander", "PodDisruptionBudget/flink-commander",
                "Service/flink-commander", "ServiceAccount/flink-commander");
        ClusterRoleBinding binding = objects.stream().filter(ClusterRoleBinding.class::isInstance)
                .map(ClusterRoleBinding.class::cast).findFirst().orElseThrow();
        assertThat(binding.getSubjects().get(0).getNamespace()).isEqualTo("team-a");
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName).doesNotContain("COMMANDER_OBSERVE_NAMESPACES", "COMMANDER_POLICY_NAMESPACES");
    }

    @Test
    void monitoringRendersTheRulesTheDashboardAndOneScrapeConfig() throws Exception {
        List<HasMetadata> objects = build(Manifests.K8S.resolve("monitoring"));

        assertThat(kinds(objects)).containsExactly("ConfigMap/flink-commander-dashboard",
                "PrometheusRule/flink-commander", "ServiceMonitor/flink-commander");
        HasMetadata dashboard = objects.stream().filter(o -> o.getKind().equals("ConfigMap")).findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    }
}
