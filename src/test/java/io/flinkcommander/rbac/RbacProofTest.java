package io.flinkcommander.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;

import io.flinkcommander.deploy.Manifests;

/**
 * The least-privilege proof: every request the service made to the Kubernetes API during the whole
 * test suite (recorded by {@link RbacRecorder}) is granted by {@code k8s/role.yaml}, and every verb
 * the Role grants was used. The build runs it after the suite and package (profile
 * after-package-checks in pom.xml). To check an edited Role against the records of the last full
 * run: {@code ./mvnw test -Dtest=RbacProofTest -Dmaven.clean.skip=true} (a test run otherwise
 * clears the records first).
 */
class RbacProofTest {

    static Set<RbacRequest> requests;

    @BeforeAll
    static void readRecords() {
        String directory = System.getProperty(RbacRecorder.DIRECTORY_PROPERTY, "target/rbac");
        requests = RbacRecorder.read(Path.of(directory));
        assertThat(requests).as("requests recorded in " + directory
                + " (none: the suite did not run, or the recorder is not attached)").isNotEmpty();
        System.out.println("Kubernetes API requests of the service during the suite:\n" + requests.stream()
                .map(r -> "  " + (r.isResourceRequest() ? r.permission() + (r.isClusterWide() ? " (all namespaces)" : "")
                        : r.verb() + " " + r.nonResourcePath()))
                .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining("\n")));
    }

    @Test
    void theRoleGrantsExactlyWhatTheServiceUsed() {
        Role role = Manifests.load(Manifests.K8S.resolve("role.yaml"), Role.class);

        assertThat(RbacCheck.problems("Role " + role.getMetadata().getName(), role.getRules(), requests)).isEmpty();
    }

    @Test
    void theClusterWideClusterRoleGrantsTheSameAsTheRole() {
        Role role = Manifests.load(Manifests.K8S.resolve("role.yaml"), Role.class);
        ClusterRole clusterRole = Manifests.load(Manifests.K8S.resolve("cluster-wide/clusterrole.yaml"), ClusterRole.class);

        assertThat(RbacCheck.permissions(clusterRole.getRules())).isEqualTo(RbacCheck.permissions(role.getRules()));
        assertThat(RbacCheck.problems("ClusterRole " + clusterRole.getMetadata().getName(), clusterRole.getRules(),
                requests)).isEmpty();
    }
}
