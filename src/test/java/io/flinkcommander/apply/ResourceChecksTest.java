package io.flinkcommander.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.flinkcommander.command.FieldError;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.config.PolicyConfig;

/** One valid FlinkDeployment; each test breaks one thing and names the error it expects. */
class ResourceChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobRef TARGET = new JobRef("streaming", "orders");

    private final ResourceChecks noPolicy = new ResourceChecks(policy(p -> {
    }));

    @Test
    void aValidDeploymentPasses() {
        assertThat(noPolicy.check(FlinkKind.DEPLOYMENT, TARGET, deployment(d -> {
        }), MissingNode.getInstance(), UnaryOperator.identity())).isNull();
    }

    @Test
    void unknownFieldIsInvalidAtItsPath() {
        assertInvalid(deployment(d -> job(d).put("paralelism", 2)), "spec.job.paralelism", "unknown field");
    }

    @Test
    void valueOutsideTheCrdEnumIsInvalid() {
        Outcome.Rejected rejected = noPolicy.check(FlinkKind.DEPLOYMENT, TARGET,
                deployment(d -> job(d).put("upgradeMode", "hot")), MissingNode.getInstance(), UnaryOperator.identity());
        assertThat(rejected.errors()).extracting(FieldError::path).containsExactly("spec.job.upgradeMode");
    }

    @Test
    void memoryFlinkCannotParseIsInvalid() {
        assertInvalid(deployment(d -> ((ObjectNode) d.at("/spec/taskManager/resource")).put("memory", "lots")),
                "spec.taskManager.resource.memory", "'lots' is not a memory size, such as 2048m or 2g");
    }

    @Test
    void kubernetesQuantitiesAreMemorySizesToo() {
        assertThat(noPolicy.check(FlinkKind.DEPLOYMENT, TARGET,
                deployment(d -> ((ObjectNode) d.at("/spec/taskManager/resource")).put("memory", "2Gi")),
                MissingNode.getInstance(), UnaryOperator.identity())).isNull();
    }

    @Test
    void configurationValueFlinkCannotReadIsInvalidWithFlinksReason() {
        Outcome.Rejected rejected = noPolicy.check(FlinkKind.DEPLOYMENT, TARGET,
                deployment(d -> config(d).put("taskmanager.memory.process.size", "two gigs")),
                MissingNode.getInstance(), UnaryOperator.identity());
        assertThat(rejected.errors()).hasSize(1);
        assertThat(rejected.errors().get(0).path()).isEqualTo("spec.flinkConfiguration.taskmanager.memory.process.size");
        assertThat(rejected.errors().get(0).message()).startsWith("'two gigs' is not a value Flink can read");
    }

    @Test
    void badDurationForAnOperatorKeyIsInvalid() {
        assertThat(noPolicy.check(FlinkKind.DEPLOYMENT, TARGET,
                deployment(d -> config(d).put("kubernetes.operator.periodic.savepoint.interval", "hourly")),
                MissingNode.getInstance(), UnaryOperator.identity()).errors())
                .extracting(FieldError::path)
                .containsExactly("spec.flinkConfiguration.kubernetes.operator.periodic.savepoint.interval");
    }

    @Test
    void secretValuesAreNotEchoedInErrors() {
        Outcome.Rejected rejected = noPolicy.check(FlinkKind.DEPLOYMENT, TARGET,
                deployment(d -> config(d).put("security.ssl.internal.keystore-password", "x").put(
                        "pipeline.jobvertex-parallelism-overrides", "hunter2")),
                MissingNode.getInstance(), UnaryOperator.identity());
        assertThat(rejected.errors().toString()).contains("pipeline.jobvertex-parallelism-overrides");
    }

    @Test
    void jarUriWithPathTraversalIsInvalid() {
        assertInvalid(deployment(d -> job(d).put("jarURI", "local:///opt/flink/../../etc/passwd")), "spec.job.jarURI",
                "must not contain '..' path segments");
    }

    @Test
    void lastStateIsNotAnUpgradeModeForSessionJobs() {
        ObjectNode sessionJob = (ObjectNode) read("""
                {"apiVersion":"flink.apache.org/v1beta1","kind":"FlinkSessionJob","metadata":{"name":"etl"},
                 "spec":{"deploymentName":"session","job":{"jarURI":"local:///j.jar","upgradeMode":"last-state"}}}""");
        Outcome.Rejected rejected = noPolicy.check(FlinkKind.SESSION_JOB, TARGET, sessionJob, MissingNode.getInstance(),
                UnaryOperator.identity());
        assertThat(rejected.errors()).containsExactly(
                FieldError.at("spec.job.upgradeMode", "last-state is not supported for session jobs"));
    }

    @Test
    void namespaceOutsideTheAllowlistIsAPolicyViolation() {
        assertViolation(policy(p -> p.namespaces = Optional.of(Set.of("analytics"))), deployment(d -> {
        }), "subject", "policy namespaces: namespace 'streaming' is not one of [analytics]");
    }

    @Test
    void imageOutsideTheAllowedPrefixesIsAPolicyViolation() {
        assertViolation(policy(p -> p.images = Optional.of(List.of("registry.example/flink/"))), deployment(d -> {
        }), "spec.image", "policy images: image 'flink:2.1' does not start with any of [registry.example/flink/]");
    }

    @Test
    void jarSchemeNotAllowedIsAPolicyViolation() {
        assertViolation(policy(p -> p.jarUriSchemes = Optional.of(Set.of("s3"))), deployment(d -> {
        }), "spec.job.jarURI", "policy jar-uri-schemes: scheme 'local' is not one of [s3]");
    }

    @Test
    void parallelismAboveTheMaximumIsAPolicyViolation() {
        assertViolation(policy(p -> p.maxParallelism = OptionalInt.of(4)), deployment(d -> job(d).put("parallelism", 8)),
                "spec.job.parallelism", "policy max-parallelism: parallelism 8 is above the maximum of 4");
    }

    @Test
    void taskManagerMemoryAboveTheMaximumIsAPolicyViolation() {
        assertViolation(policy(p -> p.maxTaskManagerMemory = Optional.of("1g")), deployment(d -> {
        }), "spec.taskManager.resource.memory", "policy max-task-manager-memory: 2048m is above the maximum of 1g");
    }

    @Test
    void aQuantityBeyondALongIsAboveEveryMemoryMaximum() {
        assertViolation(policy(p -> p.maxTaskManagerMemory = Optional.of("4g")),
                deployment(d -> ((ObjectNode) d.at("/spec/taskManager/resource")).put("memory", "1e400")),
                "spec.taskManager.resource.memory", "policy max-task-manager-memory: 1e400 is above the maximum of 4g");
    }

    @Test
    void flinkConfigurationThatIsNotAnObjectIsInvalid() {
        ObjectNode resource = deployment(d -> ((ObjectNode) d.get("spec")).putArray("flinkConfiguration").add("a=b"));
        Outcome.Rejected rejected = noPolicy.check(FlinkKind.DEPLOYMENT, TARGET, resource, MissingNode.getInstance(),
                UnaryOperator.identity());
        assertThat(rejected).isNotNull();
        assertThat(rejected.errors()).contains(FieldError.at("spec.flinkConfiguration", "must be an object of strings"));
    }

    @Test
    void jobManagerCpuAboveTheMaximumIsAPolicyViolation() {
        assertViolation(policy(p -> p.maxJobManagerCpu = OptionalDouble.of(0.5)), deployment(d -> {
        }), "spec.jobManager.resource.cpu", "policy max-job-manager-cpu: 1 is above the maximum of 0.5");
    }

    @Test
    void forbiddenConfigurationKeyIsAPolicyViolation() {
        assertViolation(policy(p -> p.forbiddenConfigurationKeys = Optional.of(List.of("security.*"))),
                deployment(d -> config(d).put("security.ssl.enabled", "false")),
                "spec.flinkConfiguration.security.ssl.enabled",
                "policy forbidden-configuration-keys: 'security.ssl.enabled' may not be set by commands (matches security.*)");
    }

    @Test
    void rulesOnFieldsApplyOnlyWhenACommandChangesThem() {
        ResourceChecks strict = new ResourceChecks(policy(p -> p.images = Optional.of(List.of("registry.example/"))));
        ObjectNode before = deployment(d -> {
        });
        ObjectNode after = deployment(d -> job(d).put("state", "suspended"));

        assertThat(strict.check(FlinkKind.DEPLOYMENT, TARGET, after, before.get("spec"), UnaryOperator.identity()))
                .isNull();
    }

    private void assertInvalid(ObjectNode resource, String path, String message) {
        Outcome.Rejected rejected = noPolicy.check(FlinkKind.DEPLOYMENT, TARGET, resource, MissingNode.getInstance(),
                UnaryOperator.identity());
        assertThat(rejected).isNotNull();
        assertThat(rejected.reason()).isEqualTo("Invalid");
        assertThat(rejected.errors()).containsExactly(FieldError.at(path, message));
    }

    private static void assertViolation(PolicyConfig policy, ObjectNode resource, String path, String message) {
        Outcome.Rejected rejected = new ResourceChecks(policy).check(FlinkKind.DEPLOYMENT, TARGET, resource,
                MissingNode.getInstance(), UnaryOperator.identity());
        assertThat(rejected).isNotNull();
        assertThat(rejected.reason()).isEqualTo("PolicyViolation");
        assertThat(rejected.errors()).containsExactly(FieldError.at(path, message));
    }

    private static ObjectNode deployment(Consumer<ObjectNode> change) {
        ObjectNode d = (ObjectNode) read("""
                {"apiVersion":"flink.apache.org/v1beta1","kind":"FlinkDeployment",
                 "metadata":{"name":"orders","namespace":"streaming"},
                 "spec":{"image":"flink:2.1","flinkVersion":"v2_1","flinkConfiguration":{},
                   "jobManager":{"resource":{"memory":"1024m","cpu":1}},
                   "taskManager":{"resource":{"memory":"2048m","cpu":1}},
                   "job":{"jarURI":"local:///opt/flink/usrlib/orders.jar","parallelism":2,"upgradeMode":"savepoint",
                          "state":"running"}}}""");
        change.accept(d);
        return d;
    }

    private static ObjectNode job(ObjectNode d) {
        return (ObjectNode) d.at("/spec/job");
    }

    private static ObjectNode config(ObjectNode d) {
        return (ObjectNode) d.at("/spec/flinkConfiguration");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A policy with everything off but what the test sets. */
    private static PolicyConfig policy(Consumer<TestPolicy> settings) {
        TestPolicy policy = new TestPolicy();
        settings.accept(policy);
        return policy;
    }

    static final class TestPolicy implements PolicyConfig {
        Optional<Set<String>> namespaces = Optional.empty();
        Optional<List<String>> images = Optional.empty();
        Optional<Set<String>> jarUriSchemes = Optional.empty();
        OptionalInt maxParallelism = OptionalInt.empty();
        Optional<String> maxJobManagerMemory = Optional.empty();
        OptionalDouble maxJobManagerCpu = OptionalDouble.empty();
        Optional<String> maxTaskManagerMemory = Optional.empty();
        OptionalDouble maxTaskManagerCpu = OptionalDouble.empty();
        Optional<List<String>> forbiddenConfigurationKeys = Optional.empty();

        public Optional<Set<String>> namespaces() {
            return namespaces;
        }

        public Optional<List<String>> images() {
            return images;
        }

        public Optional<Set<String>> jarUriSchemes() {
            return jarUriSchemes;
        }

        public OptionalInt maxParallelism() {
            return maxParallelism;
        }

        public Optional<String> maxJobManagerMemory() {
            return maxJobManagerMemory;
        }

        public OptionalDouble maxJobManagerCpu() {
            return maxJobManagerCpu;
        }

        public Optional<String> maxTaskManagerMemory() {
            return maxTaskManagerMemory;
        }

        public OptionalDouble maxTaskManagerCpu() {
            return maxTaskManagerCpu;
        }

        public Optional<List<String>> forbiddenConfigurationKeys() {
            return forbiddenConfigurationKeys;
        }
    }
}
