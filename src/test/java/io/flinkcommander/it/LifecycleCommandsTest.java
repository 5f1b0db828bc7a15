package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.apply.CommandApplier;
import io.flinkcommander.apply.CommandContext;
import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.Command;
import io.flinkcommander.command.CommandType;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkSessionJob;
import org.apache.flink.v1beta1.FlinkStateSnapshot;

/** Every lifecycle command end to end: its effect on the resource, what the operator then does, its replay. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class LifecycleCommandsTest {

    static final String NS = "lifecycle";
    static CommandBus bus;
    static KubernetesClient kubernetes;
    static FlinkPlatform platform;

    @Inject
    CommandApplier applier;

    @BeforeAll
    static void connect() {
        platform = FlinkPlatformTestResource.platform();
        bus = CommandBus.shared();
        kubernetes = platform.kubernetesClient();
    }


    static FlinkDeployment deployment(String name) {
        return kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
    }

    /** A running application job, STABLE. */
    static void deployStable(String name, int parallelism) {
        assertThat(bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/" + name,
                CommandFlowTest.deployData(parallelism))).get("outcome").asText()).isEqualTo("APPLIED");
        awaitLifecycle(name, "STABLE");
    }

    static void awaitLifecycle(String name, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            FlinkDeployment d = deployment(name);
            return d != null && d.getStatus() != null && d.getStatus().getLifecycleState() != null
                    && state.equals(d.getStatus().getLifecycleState().getValue());
        });
    }

    static JsonNode send(String type, String name, String data) {
        return bus.awaitResult(bus.sendStructured(type, NS + "/" + name, data));
    }

    static List<FlinkStateSnapshot> snapshotsOf(String job) {
        return kubernetes.resources(FlinkStateSnapshot.class).inNamespace(NS).list().getItems().stream()
                .filter(s -> job.equals(s.getSpec().getJobReference().getName())).toList();
    }

    @Test
    void upgradeMergesThePatchAndTheOperatorRollsItOut() {
        deployStable("upgraded", 1);

        JsonNode result = send("flink.job.upgrade", "upgraded", """
                {"patch":{"job":{"parallelism":3},"flinkConfiguration":{"taskmanager.numberOfTaskSlots":"2"}}}""");

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(result.get("generation").asLong()).isEqualTo(2L);
        FlinkDeployment d = deployment("upgraded");
        assertThat(d.getSpec().getJob().getParallelism()).isEqualTo(3L);
        assertThat(d.getSpec().getImage()).isEqualTo("flink:2.1");
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("upgraded").getStatus().getReconciliationStatus()
                .getLastReconciledSpec().contains("\"parallelism\":3"));
        awaitLifecycle("upgraded", "STABLE");
    }

    @Test
    void upgradeRemovesKeysThePatchSetsToNull() {
        deployStable("unset", 1);
        send("flink.job.upgrade", "unset", "{\"patch\":{\"flinkConfiguration\":{\"a.b\":\"1\",\"c.d\":\"2\"}}}");

        send("flink.job.upgrade", "unset", "{\"patch\":{\"flinkConfiguration\":{\"a.b\":null}}}");

        assertThat(deployment("unset").getSpec().getFlinkConfiguration().getValue())
                .isEqualTo(Map.of("c.d", "2"));
    }

    @Test
    void upgradeWithAWrongTypeIsRejectedAtThePatchPath() {
        deployStable("bad-patch", 1);

        JsonNode result = send("flink.job.upgrade", "bad-patch", "{\"patch\":{\"job\":{\"parallelism\":\"x\"}}}");

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("reason").asText()).isEqualTo("Invalid");
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("data.patch.job.parallelism");
        assertThat(deployment("bad-patch").getMetadata().getGeneration()).isEqualTo(1L);
    }

    @Test
    void restartGoesThroughUpgradingAndStartsTheJobOnceEvenWhenReplayed() {
        deployStable("restarted", 1);
        int startsBefore = platform.operator().deploymentsStarted(NS, "restarted");
        String id = UUID.randomUUID().toString();

        bus.sendStructured(id, "flink.job.restart", NS + "/restarted", "{}");
        assertThat(bus.awaitResult(id).get("outcome").asText()).isEqualTo("APPLIED");
        Long nonce = deployment("restarted").getSpec().getRestartNonce();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.operator().deploymentsStarted(NS, "restarted") == startsBefore + 1);
        awaitLifecycle("restarted", "STABLE");

        bus.sendStructured(id, "flink.job.restart", NS + "/restarted", "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> bus.resultsFor(id).size() == 2);

        assertThat(nonce).isPositive();
        assertThat(bus.resultsFor(id).get(1).data().get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(deployment("restarted").getSpec().getRestartNonce()).isEqualTo(nonce);
        assertThat(platform.operator().deploymentsStarted(NS, "restarted")).isEqualTo(startsBefore + 1);
    }

    @Test
    void restartOfASessionJobIsRejected() {
        send("flink.job.deploy", "restart-session", "{\"spec\":{\"image\":\"flink:2.1\",\"flinkVersion\":\"v2_1\"}}");
        send("flink.sessionjob.deploy", "restart-me", """
                {"spec":{"deploymentName":"restart-session","job":{"jarURI":"local:///j.jar"}}}""");

        JsonNode result = send("flink.job.restart", "restart-me", "{}");

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("errors").get(0).get("message").asText()).isEqualTo(
                "restart applies to FlinkDeployments; " + NS + "/restart-me is a FlinkSessionJob (upgrade it to restart its job)");
    }

    @Test
    void savepointIsAFlinkStateSnapshotThatCompletesWithAPathAndIsTakenOnceWhenReplayed() {
        deployStable("saved", 1);
        String id = UUID.randomUUID().toString();

        bus.sendStructured(id, "flink.job.savepoint", NS + "/saved", "{\"formatType\":\"NATIVE\"}");
        assertThat(bus.awaitResult(id).get("outcome").asText()).isEqualTo("APPLIED");
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshotsOf("saved").size() == 1
                && snapshotsOf("saved").get(0).getStatus() != null
                && "COMPLETED".equals(snapshotsOf("saved").get(0).getStatus().getState().getValue()));
        FlinkStateSnapshot snapshot = snapshotsOf("saved").get(0);

        bus.sendStructured(id, "flink.job.savepoint", NS + "/saved", "{\"formatType\":\"NATIVE\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> bus.resultsFor(id).size() == 2);

        assertThat(snapshot.getSpec().getSavepoint().getFormatType().getValue()).isEqualTo("NATIVE");
        assertThat(snapshot.getSpec().getJobReference().getKind().getValue()).isEqualTo("FlinkDeployment");
        assertThat(snapshot.getStatus().getPath()).isNotBlank();
        assertThat(bus.resultsFor(id).get(1).data().get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(snapshotsOf("saved")).hasSize(1);
        assertThat(platform.operator().snapshotsCompleted(NS, "saved")).isEqualTo(1);
    }

    @Test
    void checkpointIsACheckpointSnapshot() {
        deployStable("checkpointed", 1);

        assertThat(send("flink.job.checkpoint", "checkpointed", "{}").get("outcome").asText()).isEqualTo("APPLIED");

        assertThat(snapshotsOf("checkpointed")).singleElement()
                .satisfies(s -> assertThat(s.getSpec().getCheckpoint()).isNotNull());
    }

    @Test
    void redeployFromTheLatestSavepointUsesTheNewestCompletedOne() {
        deployStable("redeployed", 1);
        send("flink.job.savepoint", "redeployed", "{}");
        await().atMost(Duration.ofSeconds(20)).until(() -> snapshotsOf("redeployed").stream().anyMatch(s ->
                s.getStatus() != null && "COMPLETED".equals(s.getStatus().getState().getValue())));
        String path = snapshotsOf("redeployed").get(0).getStatus().getPath();

        JsonNode result = send("flink.job.redeploy-from-savepoint", "redeployed", "{\"latest\":true}");

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(deployment("redeployed").getSpec().getJob().getInitialSavepointPath()).isEqualTo(path);
        assertThat(deployment("redeployed").getSpec().getJob().getSavepointRedeployNonce()).isPositive();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.operator().redeploysFromSavepoint(NS, "redeployed") == 1);
    }

    @Test
    void redeployFromTheLatestSavepointWhenThereIsNoneIsRejected() {
        deployStable("never-saved", 1);

        JsonNode result = send("flink.job.redeploy-from-savepoint", "never-saved", "{\"latest\":true}");

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("data.latest");
    }

    @Test
    void scaleChangesTheReconciledParallelism() {
        deployStable("scaled", 1);

        assertThat(send("flink.job.scale", "scaled", "{\"parallelism\":4}").get("outcome").asText()).isEqualTo("APPLIED");

        assertThat(deployment("scaled").getSpec().getJob().getParallelism()).isEqualTo(4L);
        await().atMost(Duration.ofSeconds(20)).until(() -> deployment("scaled").getStatus().getReconciliationStatus()
                .getLastReconciledSpec().contains("\"parallelism\":4"));
    }

    @Test
    void scalePerVertexWritesTheOverrides() {
        deployStable("vertex-scaled", 1);
        String vertex = "0a448493b4782967b150582570326227";

        send("flink.job.scale", "vertex-scaled", "{\"vertexParallelism\":{\"" + vertex + "\":3}}");

        assertThat(deployment("vertex-scaled").getSpec().getFlinkConfiguration().getValue())
                .isEqualTo(Map.of("pipeline.jobvertex-parallelism-overrides", vertex + ":3"));
    }

    @Test
    void rollbackReappliesTheLastStableSpec() {
        deployStable("rolled-back", 2);
        send("flink.job.suspend", "rolled-back", "{}");
        awaitLifecycle("rolled-back", "SUSPENDED");
        send("flink.job.upgrade", "rolled-back", "{\"patch\":{\"job\":{\"parallelism\":9}}}");

        JsonNode result = send("flink.job.rollback", "rolled-back", "{}");

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        FlinkDeployment d = deployment("rolled-back");
        assertThat(d.getSpec().getJob().getParallelism()).isEqualTo(2L);
        assertThat(d.getSpec().getJob().getState().getValue()).isEqualTo("running");
        awaitLifecycle("rolled-back", "STABLE");
    }

    @Test
    void configureAutoscalerSetsTheAutoscalerKeys() {
        deployStable("autoscaled", 1);

        send("flink.job.configure-autoscaler", "autoscaled", """
                {"enabled":true,"targetUtilization":0.7,"stabilizationInterval":"1m","maxParallelism":8}""");

        assertThat(deployment("autoscaled").getSpec().getFlinkConfiguration().getValue()).isEqualTo(Map.of(
                "job.autoscaler.enabled", "true", "job.autoscaler.target.utilization", "0.7",
                "job.autoscaler.stabilization.interval", "1m", "job.autoscaler.vertex.max-parallelism", "8"));
    }

    @Test
    void savepointPolicyWorksOnSessionJobs() {
        send("flink.job.deploy", "policy-session", "{\"spec\":{\"image\":\"flink:2.1\",\"flinkVersion\":\"v2_1\"}}");
        send("flink.sessionjob.deploy", "policy-job", """
                {"spec":{"deploymentName":"policy-session","job":{"jarURI":"local:///j.jar"}}}""");

        JsonNode result = send("flink.job.savepoint-policy", "policy-job",
                "{\"periodicInterval\":\"1h\",\"maxCount\":5,\"cleanup\":true}");

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        FlinkSessionJob job = kubernetes.resources(FlinkSessionJob.class).inNamespace(NS).withName("policy-job").get();
        assertThat(job.getSpec().getFlinkConfiguration().getValue()).isEqualTo(Map.of(
                "kubernetes.operator.periodic.savepoint.interval", "1h",
                "kubernetes.operator.savepoint.history.max.count", "5",
                "kubernetes.operator.savepoint.cleanup.enabled", "true"));
    }

    @Test
    void dryRunAnswersWithTheRenderedResourceSecretsRedactedAndWritesNothing() {
        String id = UUID.randomUUID().toString();
        String data = "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(2).replace("\"image\":\"flink:2.1\",",
                "\"image\":\"flink:2.1\",\"flinkConfiguration\":{\"s3.secret-key\":\"hunter2\"},") + "}";
        bus.sendStructured(id, "flink.job.deploy", NS + "/dry", data, Map.of("dryrun", "true"));

        JsonNode result = bus.awaitResult(id);

        assertThat(result.get("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(result.at("/rendered/kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(result.at("/rendered/spec/job/parallelism").asInt()).isEqualTo(2);
        assertThat(result.at("/rendered/spec/flinkConfiguration/s3.secret-key").asText()).isEqualTo("<redacted>");
        assertThat(bus.resultsFor(id).get(0).value()).asString().doesNotContain("hunter2");
        assertThat(deployment("dry")).isNull();
    }

    @Test
    void concurrentWritersToOneJobAllLandThrough409Retries() throws Exception {
        deployStable("contended", 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            // As two replicas would: each read-modify-write races the others on resourceVersion.
            outcomes.add(pool.submit(() -> applier.apply(new Command.Configure(new JobRef(NS, "contended"),
                    CommandType.SAVEPOINT_POLICY, Map.of("contended.key." + n, String.valueOf(n))),
                    new CommandContext("race-" + n, "test@" + n, false))));
        }
        for (Future<Outcome> outcome : outcomes) {
            assertThat(outcome.get()).isInstanceOf(Outcome.Applied.class);
        }
        pool.shutdown();

        FlinkDeployment d = deployment("contended");
        assertThat(d.getSpec().getFlinkConfiguration().getValue()).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(d.getMetadata().getAnnotations().get("flink-commander.io/applied-commands")).contains("race-" + i);
        }
    }

    @Test
    void aFailingApiIsRetriedUntilItRecovers() {
        deployStable("weathered", 1);
        platform.kubernetesProxy().failWith(503);
        int faultsBefore = platform.kubernetesProxy().faultsInjected();
        String id = bus.sendStructured("flink.job.suspend", NS + "/weathered", "{}");
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> platform.kubernetesProxy().faultsInjected() >= faultsBefore + 3);
            assertThat(bus.resultsFor(id)).isEmpty();
        } finally {
            platform.kubernetesProxy().passThrough();
        }

        assertThat(bus.awaitResult(id).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(deployment("weathered").getSpec().getJob().getState().getValue()).isEqualTo("suspended");
        assertThat(io.restassured.RestAssured.get("/q/metrics").asString())
                .contains("commander_kubernetes_api_errors_total{code=\"503\"}");
    }

    @Test
    void anApiThatStaysDownFailsTheCommandWithTheReasonAfterTheDeadline() {
        deployStable("stormed", 1);
        platform.kubernetesProxy().failWith(500);
        JsonNode result;
        try {
            result = bus.awaitResult(bus.sendStructured("flink.job.suspend", NS + "/stormed", "{}"));
        } finally {
            platform.kubernetesProxy().passThrough();
        }

        assertThat(result.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(result.get("reason").asText()).startsWith("Kubernetes API unavailable for 3000 ms, last error: HTTP 500");
        assertThat(deployment("stormed").getSpec().getJob().getState().getValue()).isEqualTo("running");
    }
}
