package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * A platform team's setup: guardrails on, and an operator without FlinkStateSnapshot resources,
 * where savepoints and checkpoints are triggered by nonces.
 */
@QuarkusTest
@TestProfile(RestrictedPlatformTest.Restricted.class)
@WithTestResource(FlinkPlatformTestResource.class)
class RestrictedPlatformTest {

    public static class Restricted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "commander.snapshots.resources", "false",
                    "commander.policy.namespaces", "restricted,team-b",
                    "commander.policy.images", "flink:,registry.example/flink/",
                    "commander.policy.jar-uri-schemes", "local,s3",
                    "commander.policy.max-parallelism", "8",
                    "commander.policy.max-task-manager-memory", "4g",
                    "commander.policy.forbidden-configuration-keys", "security.*,high-availability.storageDir",
                    // Security settings as a platform team sets them: they must reach every Kafka client
                    // (KafkaClientSettingsTest); with the test broker's PLAINTEXT listener they are unused.
                    "kafka.sasl.mechanism", "SCRAM-SHA-512",
                    "kafka.sasl.jaas.config", KafkaClientSettingsTest.JAAS);
        }
    }

    static final String NS = "restricted";
    static CommandBus bus;
    static FlinkPlatform platform;

    @BeforeAll
    static void connect() {
        platform = FlinkPlatformTestResource.platform();
        bus = CommandBus.shared();
    }


    static FlinkDeployment deployment(String name) {
        return platform.kubernetesClient().resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
    }

    static void deployStable(String name) {
        assertThat(bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/" + name,
                CommandFlowTest.deployData(2))).get("outcome").asText()).isEqualTo("APPLIED");
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment(name).getStatus() != null
                && "STABLE".equals(deployment(name).getStatus().getLifecycleState().getValue()));
    }

    @Test
    void savepointByNonceIsTakenOnceEvenWhenTheCommandIsReplayed() {
        deployStable("nonce-saved");
        String id = UUID.randomUUID().toString();

        bus.sendStructured(id, "flink.job.savepoint", NS + "/nonce-saved", "{}");
        assertThat(bus.awaitResult(id).get("outcome").asText()).isEqualTo("APPLIED");
        await().atMost(Duration.ofSeconds(20)).until(() -> platform.operator().savepointsTaken(NS, "nonce-saved") == 1);
        long nonce = deployment("nonce-saved").getSpec().getJob().getSavepointTriggerNonce();
        bus.sendStructured(id, "flink.job.savepoint", NS + "/nonce-saved", "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> bus.resultsFor(id).size() == 2);

        assertThat(bus.resultsFor(id).get(1).data().get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(deployment("nonce-saved").getSpec().getJob().getSavepointTriggerNonce()).isEqualTo(nonce);
        assertThat(deployment("nonce-saved").getStatus().getJobStatus().getSavepointInfo().getLastSavepoint()
                .getTriggerNonce()).isEqualTo(nonce);
        assertThat(platform.operator().savepointsTaken(NS, "nonce-saved")).isEqualTo(1);
    }

    @Test
    void checkpointByNonce() {
        deployStable("nonce-checkpointed");

        assertThat(bus.awaitResult(bus.sendStructured("flink.job.checkpoint", NS + "/nonce-checkpointed", "{}"))
                .get("outcome").asText()).isEqualTo("APPLIED");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.operator().checkpointsTaken(NS, "nonce-checkpointed") == 1);
    }

    @Test
    void savepointWithAPathNeedsSnapshotResources() {
        deployStable("no-path");

        JsonNode result = bus.awaitResult(bus.sendStructured("flink.job.savepoint", NS + "/no-path",
                "{\"path\":\"s3://bucket/savepoints\"}"));

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("data");
    }

    @Test
    void aNamespaceOutsideTheAllowlistIsAPolicyViolation() {
        JsonNode result = bus.awaitResult(bus.sendStructured("flink.job.deploy", "elsewhere/orders",
                CommandFlowTest.deployData(1)));

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("reason").asText()).isEqualTo("PolicyViolation");
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("subject");
        assertThat(result.get("errors").get(0).get("message").asText())
                .startsWith("policy namespaces: namespace 'elsewhere' is not one of");
    }

    @Test
    void eachGuardrailNamesItsRuleInTheResult() {
        deployStable("guarded");
        Map<String, String> patches = Map.of(
                "{\"image\":\"docker.io/evil/flink:2.1\"}", "policy images:",
                "{\"job\":{\"jarURI\":\"https://example.org/job.jar\"}}", "policy jar-uri-schemes:",
                "{\"job\":{\"parallelism\":64}}", "policy max-parallelism:",
                "{\"taskManager\":{\"resource\":{\"memory\":\"32g\"}}}", "policy max-task-manager-memory:",
                "{\"flinkConfiguration\":{\"security.ssl.enabled\":\"false\"}}", "policy forbidden-configuration-keys:");

        patches.forEach((patch, rule) -> {
            JsonNode result = bus.awaitResult(bus.sendStructured("flink.job.upgrade", NS + "/guarded",
                    "{\"patch\":" + patch + "}"));
            assertThat(result.get("outcome").asText()).as(patch).isEqualTo("REJECTED");
            assertThat(result.get("reason").asText()).as(patch).isEqualTo("PolicyViolation");
            assertThat(result.get("errors").get(0).get("path").asText()).as(patch).startsWith("data.patch.");
            assertThat(result.get("errors").get(0).get("message").asText()).as(patch).startsWith(rule);
        });
        assertThat(deployment("guarded").getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void aSuspendIsNotBlockedByRulesOnFieldsItDoesNotChange() {
        deployStable("kept");

        assertThat(bus.awaitResult(bus.sendStructured("flink.job.suspend", NS + "/kept", "{}")).get("outcome").asText())
                .isEqualTo("APPLIED");
    }
}
