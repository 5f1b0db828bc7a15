package io.flinkcommander.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;

import io.flinkcommander.fixture.LocalKubernetesApi;

/**
 * Every manifest in {@code k8s/} (but the vendored CRDs) reads into fabric8's typed objects and is
 * accepted by the Kubernetes API test server; the kustomizations name every file; and the
 * manifests agree with each other and with the service (ports, labels, names, config keys).
 *
 * <p>The Prometheus Operator's kinds have no typed fabric8 model here: they read as
 * {@link GenericKubernetesResource} and are created after installing minimal stand-ins for their
 * CRDs ({@code src/test/resources/prometheus-operator-crds.yaml}). The test server does not
 * validate objects against schemas, so "accepted" means well-formed with apiVersion, kind and name.
 */
class ManifestsTest {

    static final String NAMESPACE = "manifests";
    static LocalKubernetesApi api;

    @BeforeAll
    static void startApi() throws IOException {
        api = LocalKubernetesApi.start(0);
        try (InputStream crds = ManifestsTest.class.getResourceAsStream("/prometheus-operator-crds.yaml")) {
            api.client().load(crds).create();
        }
    }

    @AfterAll
    static void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    static <T extends HasMetadata> T the(Class<T> type, String file) {
        return Manifests.load(Manifests.K8S.resolve(file), type);
    }

    static Container container() {
        return podSpec().getContainers().get(0);
    }

    static PodSpec podSpec() {
        return the(Deployment.class, "deployment.yaml").getSpec().getTemplate().getSpec();
    }

    @Test
    void everyManifestReadsIntoTypedObjectsAndIsAcceptedByTheApiServer() {
        KubernetesClient client = api.client();
        Set<Path> patches = new HashSet<>();
        Kustomizations.all().forEach(k -> patches.addAll(k.patches()));
        List<String> created = new ArrayList<>();
        for (Path file : Manifests.manifestFiles()) {
            List<HasMetadata> objects = Manifests.objects(file);
            assertThat(objects).as(file.toString()).isNotEmpty();
            for (HasMetadata object : objects) {
                if (!object.getApiVersion().startsWith("monitoring.coreos.com/")) {
                    assertThat(object).as(file + ": " + object.getKind() + " has a typed model")
                            .isNotInstanceOf(GenericKubernetesResource.class);
                }
                if (patches.contains(file)) {
                    continue; // a kustomize patch, not an object of its own
                }
                var resource = object instanceof Namespaced ? client.resource(object).inNamespace(NAMESPACE)
                        : client.resource(object);
                assertThat(resource.create().getMetadata().getUid()).as(file + ": " + object.getKind()).isNotBlank();
                assertThat(resource.get()).as(file + ": " + object.getKind() + " reads back").isNotNull();
                created.add(object.getKind() + "/" + object.getMetadata().getName());
            }
        }
        assertThat(created).contains("ServiceAccount/flink-commander", "Role/flink-commander",
                "RoleBinding/flink-commander", "ClusterRole/flink-commander", "ClusterRoleBinding/flink-commander",
                "ConfigMap/flink-commander-config", "Secret/flink-commander-kafka", "Deployment/flink-commander",
                "Service/flink-commander", "PodDisruptionBudget/flink-commander", "ServiceMonitor/flink-commander",
                "PodMonitor/flink-commander", "PrometheusRule/flink-commander");
    }

    @Test
    void theKustomizationsNameEveryFileInTheirDirectory() throws IOException {
        List<Kustomizations.Kustomization> kustomizations = Kustomizations.all();
        Set<Path> referenced = new HashSet<>();
        for (Kustomizations.Kustomization k : kustomizations) {
            for (Path path : k.referenced()) {
                assertThat(path).as("named in " + k.directory() + "/kustomization.yaml").exists();
                referenced.add(path);
            }
        }
        List<Path> unreferenced = new ArrayList<>();
        try (var files = Files.walk(Manifests.K8S)) {
            files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(Manifests.K8S.resolve("crds")))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    // a layout to copy, deliberately applied by nothing (see the file)
                    .filter(f -> !f.getFileName().toString().endsWith(".example.yaml"))
                    .map(Path::normalize)
                    .filter(f -> !referenced.contains(f))
                    .forEach(unreferenced::add);
        }
        assertThat(unreferenced).as("files in k8s/ that no kustomization.yaml names").isEmpty();
        assertThat(kustomizations).extracting(k -> k.directory().toString() + ":" + k.kind()).contains(
                "k8s:Kustomization", "k8s/cluster-wide:Component", "k8s/monitoring:Kustomization");
    }

    @Test
    void theServiceAccountRolesAndBindingsReferToEachOther() {
        String account = the(ServiceAccount.class, "serviceaccount.yaml").getMetadata().getName();
        RoleBinding binding = the(RoleBinding.class, "rolebinding.yaml");
        ClusterRoleBinding clusterBinding = the(ClusterRoleBinding.class, "cluster-wide/clusterrolebinding.yaml");

        assertThat(podSpec().getServiceAccountName()).isEqualTo(account);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(account);
        });
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(the(io.fabric8.kubernetes.api.model.rbac.Role.class,
                "role.yaml").getMetadata().getName());
        assertThat(clusterBinding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo(account));
        assertThat(clusterBinding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(clusterBinding.getRoleRef().getName()).isEqualTo(the(io.fabric8.kubernetes.api.model.rbac.ClusterRole.class,
                "cluster-wide/clusterrole.yaml").getMetadata().getName());
    }

    @Test
    void theDeploymentRunsSeveralLockedDownReplicasWithProbesOnTheHttpPort() throws IOException {
        Deployment deployment = the(Deployment.class, "deployment.yaml");
        Container container = container();

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getTemplate().getMetadata().getLabels());
        ContainerPort http = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
        assertThat(http.getContainerPort()).isEqualTo(8080);
        // ... which is where the service listens: Quarkus' default, not changed in application.properties.
        assertThat(Files.readString(Path.of("src/main/resources/application.properties")))
                .doesNotContainPattern("(?m)^quarkus\\.http\\.port=");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        for (var probe : List.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");

        assertThat(podSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(podSpec().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        // A read-only root needs a writable /tmp (Vert.x and the JVM write there).
        String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst().orElseThrow().getName();
        assertThat(podSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo(tmpVolume);
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(podSpec().getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        // HOSTNAME (the pod's name) is commander.instance-id: it must not be overridden with one value for all.
        assertThat(container.getEnv()).extracting(EnvVar::getName).doesNotContain("COMMANDER_INSTANCE_ID");
    }

    @Test
    void theServiceMonitorsAndDisruptionBudgetSelectTheDeploymentsPodsAndPort() {
        Map<String, String> podLabels = the(Deployment.class, "deployment.yaml").getSpec().getTemplate().getMetadata().getLabels();
        Service service = the(Service.class, "service.yaml");
        PodDisruptionBudget budget = the(PodDisruptionBudget.class, "poddisruptionbudget.yaml");
        GenericKubernetesResource serviceMonitor = the(GenericKubernetesResource.class, "monitoring/service-monitor/servicemonitor.yaml");
        GenericKubernetesResource podMonitor = the(GenericKubernetesResource.class, "monitoring/pod-monitor/podmonitor.yaml");

        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);

        Map<String, String> monitorSelector = serviceMonitor.get("spec", "selector", "matchLabels");
        assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(monitorSelector);
        assertThat((String) serviceMonitor.get("spec", "endpoints", 0, "port")).isEqualTo("http");
        assertThat((String) serviceMonitor.get("spec", "endpoints", 0, "path")).isEqualTo("/q/metrics");
        Map<String, String> podSelector = podMonitor.get("spec", "selector", "matchLabels");
        assertThat(podLabels).containsAllEntriesOf(podSelector);
        assertThat((String) podMonitor.get("spec", "podMetricsEndpoints", 0, "port")).isEqualTo("http");
        assertThat((String) podMonitor.get("spec", "podMetricsEndpoints", 0, "path")).isEqualTo("/q/metrics");
    }

    @Test
    void everyKeyInTheConfigMapIsAConfigKeyOfTheService() throws IOException {
        ConfigMap config = the(ConfigMap.class, "configmap.yaml");
        String file = config.getData().get("application.properties");
        Properties set = new Properties();
        set.load(new StringReader(file));
        // The commented-out examples must be real keys too: someone will uncomment them.
        Properties commentedOut = new Properties();
        commentedOut.load(new StringReader(file.replaceAll("(?m)^#(?=[a-z][a-z.-]*=)", "")));

        assertThat(set.stringPropertyNames()).contains("kafka.bootstrap.servers");
        for (String key : commentedOut.stringPropertyNames()) {
            assertThat(ServiceConfigKeys.isKey(key)).as("%s in configmap.yaml is a key the service reads", key).isTrue();
        }
        assertThat(commentedOut.stringPropertyNames()).contains("commander.policy.images", "kafka.sasl.mechanism",
                "kafka.ssl.truststore.location");
    }

    @Test
    void theConfigMapIsMountedWhereTheImagesReadConfigAndTheEnvironmentNamesRealKeys() throws IOException {
        String configVolume = podSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null
                && v.getConfigMap().getName().equals("flink-commander-config")).findFirst().orElseThrow().getName();
        String mountPath = container().getVolumeMounts().stream().filter(m -> m.getName().equals(configVolume))
                .findFirst().orElseThrow().getMountPath();
        // Quarkus reads config/application.properties in the working directory of the process.
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            assertThat(Files.readAllLines(Path.of(dockerfile))).as(dockerfile)
                    .contains("WORKDIR " + mountPath.substring(0, mountPath.length() - "/config".length()));
        }
        assertThat(mountPath).endsWith("/config");

        for (EnvVar env : container().getEnv()) {
            if (!env.getName().startsWith("JAVA_OPTS")) {
                assertThat(ServiceConfigKeys.isEnvironmentKey(env.getName())).as("env %s", env.getName()).isTrue();
            }
        }
        assertThat(container().getEnvFrom()).singleElement().satisfies(from -> {
            assertThat(from.getSecretRef().getName()).isEqualTo("flink-commander-kafka");
            assertThat(from.getSecretRef().getOptional()).isTrue();
        });
        Secret secret = the(Secret.class, "kafka-secret.example.yaml");
        assertThat(secret.getMetadata().getName()).isEqualTo("flink-commander-kafka");
        for (String key : secret.getStringData().keySet()) {
            assertThat(ServiceConfigKeys.isEnvironmentKey(key)).as("secret key %s", key).isTrue();
        }
    }

    @Test
    void theClusterWideComponentRemovesTheNamespaceScope() {
        List<HasMetadata> patch = Manifests.objects(Manifests.K8S.resolve("cluster-wide/remove-namespace-scope.yaml"));
        Deployment deployment = (Deployment) patch.get(0);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .extracting(EnvVar::getName).containsExactlyInAnyOrder(container().getEnv().stream()
                        .map(EnvVar::getName).filter(n -> n.endsWith("_NAMESPACES")).toArray(String[]::new));
        assertThat(container().getEnv()).extracting(EnvVar::getName)
                .contains("COMMANDER_OBSERVE_NAMESPACES", "COMMANDER_POLICY_NAMESPACES");
    }
}
