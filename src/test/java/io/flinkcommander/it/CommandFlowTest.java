package io.flinkcommander.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkDeploymentStatus;
import org.apache.flink.v1beta1.FlinkSessionJob;

/**
 * Each command end to end: a CloudEvent on the real broker, the resource written to the API test
 * server (where the simulated operator moves its status), and exactly one result event.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class CommandFlowTest {

    static final String NS = "flow";
    static final String APP_SPEC = """
            {"image":"flink:2.1","flinkVersion":"v2_1",
             "jobManager":{"resource":{"memory":"1024m","cpu":1}},
             "taskManager":{"resource":{"memory":"2048m","cpu":1}},
             "job":{"jarURI":"local:///opt/flink/usrlib/orders.jar","parallelism":%d,"upgradeMode":"savepoint","state":"running"}}""";

    static CommandBus bus;
    static KubernetesClient kubernetes;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
    }


    static String deployData(int parallelism) {
        return "{\"spec\":" + APP_SPEC.formatted(parallelism) + ",\"labels\":{\"team\":\"orders\"}}";
    }

    static FlinkDeployment deployment(String name) {
        return kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
    }

    static void awaitLifecycle(String name, String state) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            FlinkDeployment d = deployment(name);
            FlinkDeploymentStatus s = d == null ? null : d.getStatus();
            return s != null && s.getLifecycleState() != null && state.equals(s.getLifecycleState().getValue());
        });
    }

    @Test
    void deployCreatesTheFlinkDeploymentAndAnswersApplied() {
        String id = bus.sendStructured("flink.job.deploy", NS + "/orders", deployData(2));

        JsonNode result = bus.awaitResult(id);

        FlinkDeployment written = deployment("orders");
        assertThat(written.getSpec().getImage()).isEqualTo("flink:2.1");
        assertThat(written.getSpec().getJob().getParallelism()).isEqualTo(2L);
        assertThat(written.getMetadata().getLabels()).containsEntry("team", "orders");
        assertThat(result.get("commandId").asText()).isEqualTo(id);
        assertThat(result.get("commandType").asText()).isEqualTo("flink.job.deploy");
        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(result.get("reason").isNull()).isTrue();
        assertThat(result.get("errors")).isEmpty();
        assertThat(result.get("generation").asLong()).isEqualTo(1L);
        assertThat(result.get("resourceVersion").asText()).isNotBlank();
        assertThat(result.get("source").asText()).isEqualTo("//tests");
        awaitLifecycle("orders", "STABLE");
        assertThat(deployment("orders").getStatus().getJobStatus().getState().getValue()).isEqualTo("RUNNING");
    }

    @Test
    void resultIsABinaryModeCloudEventKeyedByTheJob() {
        String id = bus.sendStructured("flink.job.deploy", NS + "/keyed", deployData(1));
        bus.awaitResult(id);

        CommandBus.Received result = bus.resultsFor(id).get(0);

        assertThat(result.key()).isEqualTo(NS + "/keyed");
        assertThat(result.headers()).containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_type", "flink.command.result")
                .containsEntry("ce_subject", NS + "/keyed")
                .containsEntry("ce_causationid", id)
                .containsEntry("content-type", "application/json")
                .containsKey("ce_id").containsKey("ce_time").containsKey("ce_source");
    }

    @Test
    void suspendInBinaryModeSuspendsTheJob() {
        bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/suspend-me", deployData(1)));
        awaitLifecycle("suspend-me", "STABLE");

        JsonNode result = bus.awaitResult(
                bus.sendBinary("flink.job.suspend", NS + "/suspend-me", "{\"upgradeMode\":\"stateless\"}"));

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        FlinkDeployment suspended = deployment("suspend-me");
        assertThat(suspended.getSpec().getJob().getState().getValue()).isEqualTo("suspended");
        assertThat(suspended.getSpec().getJob().getUpgradeMode().getValue()).isEqualTo("stateless");
        awaitLifecycle("suspend-me", "SUSPENDED");
        assertThat(deployment("suspend-me").getStatus().getJobStatus().getState().getValue()).isEqualTo("FINISHED");
    }

    @Test
    void resumeRunsASuspendedJobAgain() {
        bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/resume-me", deployData(1)));
        bus.awaitResult(bus.sendStructured("flink.job.suspend", NS + "/resume-me", "{}"));
        awaitLifecycle("resume-me", "SUSPENDED");

        JsonNode result = bus.awaitResult(bus.sendStructured("flink.job.resume", NS + "/resume-me", "{}"));

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(deployment("resume-me").getSpec().getJob().getState().getValue()).isEqualTo("running");
        awaitLifecycle("resume-me", "STABLE");
    }

    @Test
    void resumeOfARunningJobIsRejectedAndChangesNothing() {
        bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/running", deployData(1)));
        String before = commandAnnotations("running");

        JsonNode result = bus.awaitResult(bus.sendStructured("flink.job.resume", NS + "/running", "{}"));

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("subject");
        assertThat(result.get("errors").get(0).get("message").asText())
                .isEqualTo(NS + "/running is not suspended (spec.job.state is running): nothing to resume");
        assertThat(commandAnnotations("running")).isEqualTo(before);
    }

    /** The annotations commands write; the observer's last-published mark changes as the operator moves the job. */
    static String commandAnnotations(String name) {
        var annotations = new java.util.TreeMap<>(deployment(name).getMetadata().getAnnotations());
        annotations.remove("flink-commander.io/last-published");
        return annotations.toString();
    }

    @Test
    void suspendOfAnUnknownJobIsRejectedAtSubject() {
        JsonNode result = bus.awaitResult(bus.sendStructured("flink.job.suspend", NS + "/nobody", "{}"));

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("errors")).hasSize(1);
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("subject");
        assertThat(result.get("errors").get(0).get("message").asText())
                .isEqualTo("no FlinkDeployment or FlinkSessionJob " + NS + "/nobody");
    }

    @Test
    void invalidDeployIsRejectedWithTheFieldPathAndNothingIsWritten() {
        String id = bus.sendStructured("flink.job.deploy", NS + "/broken",
                "{\"spec\":" + APP_SPEC.formatted(1).replace("\"parallelism\":1", "\"parallelism\":\"one\"") + "}");

        JsonNode result = bus.awaitResult(id);

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("reason").asText()).isEqualTo("Invalid");
        assertThat(result.get("errors")).hasSize(1);
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("data.spec.job.parallelism");
        assertThat(result.get("errors").get(0).get("message").asText()).isEqualTo("expected a number");
        assertThat(deployment("broken")).isNull();
    }

    @Test
    void deployOfASessionClusterThenASessionJobInIt() {
        String cluster = bus.sendStructured("flink.job.deploy", NS + "/session",
                "{\"spec\":{\"image\":\"flink:2.1\",\"flinkVersion\":\"v2_1\"}}");
        assertThat(bus.awaitResult(cluster).get("outcome").asText()).isEqualTo("APPLIED");
        awaitLifecycle("session", "STABLE");

        JsonNode result = bus.awaitResult(bus.sendStructured("flink.sessionjob.deploy", NS + "/etl",
                "{\"spec\":{\"deploymentName\":\"session\",\"job\":{\"jarURI\":\"local:///opt/flink/etl.jar\",\"parallelism\":1}}}"));

        assertThat(result.get("outcome").asText()).isEqualTo("APPLIED");
        FlinkSessionJob job = kubernetes.resources(FlinkSessionJob.class).inNamespace(NS).withName("etl").get();
        assertThat(job.getSpec().getDeploymentName()).isEqualTo("session");
        assertThat(job.getSpec().getJob().getJarURI()).isEqualTo("local:///opt/flink/etl.jar");
        assertThat(deployment("session").getSpec().getJob()).isNull();
    }

    @Test
    void sessionJobAimedAtAnApplicationClusterIsRejected() {
        bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/app-cluster", deployData(1)));

        JsonNode result = bus.awaitResult(bus.sendStructured("flink.sessionjob.deploy", NS + "/misplaced",
                "{\"spec\":{\"deploymentName\":\"app-cluster\",\"job\":{\"jarURI\":\"local:///opt/flink/etl.jar\"}}}"));

        assertThat(result.get("outcome").asText()).isEqualTo("REJECTED");
        assertThat(result.get("errors").get(0).get("path").asText()).isEqualTo("data.spec.deploymentName");
        assertThat(kubernetes.resources(FlinkSessionJob.class).inNamespace(NS).withName("misplaced").get()).isNull();
    }

    @Test
    void deleteRemovesTheResourceAndASecondDeleteFindsItAbsent() {
        bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/short-lived", deployData(1)));

        JsonNode first = bus.awaitResult(bus.sendStructured("flink.job.delete", NS + "/short-lived", "{}"));
        JsonNode second = bus.awaitResult(bus.sendStructured("flink.job.delete", NS + "/short-lived", "{}"));

        assertThat(first.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(first.get("reason").isNull()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment("short-lived") == null);
        assertThat(second.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(second.get("reason").asText()).isEqualTo("already absent");
    }

    @Test
    void deleteOfASessionJobRemovesIt() {
        // The session cluster need not exist yet: the operator waits for it.
        assertThat(bus.awaitResult(bus.sendStructured("flink.sessionjob.deploy", NS + "/one-off",
                "{\"spec\":{\"deploymentName\":\"later-session\",\"job\":{\"jarURI\":\"local:///opt/flink/etl.jar\"}}}"))
                .get("outcome").asText()).isEqualTo("APPLIED");

        JsonNode deleted = bus.awaitResult(bus.sendStructured("flink.job.delete", NS + "/one-off", "{}"));

        assertThat(deleted.get("outcome").asText()).isEqualTo("APPLIED");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> kubernetes.resources(FlinkSessionJob.class).inNamespace(NS).withName("one-off").get() == null);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheNextCommandStillApplies() {
        bus.sendRaw(NS + "/poisoned", "this is not a cloud event".getBytes(UTF_8));
        String next = bus.sendStructured("flink.job.deploy", NS + "/poisoned", deployData(1));

        assertThat(bus.awaitResult(next).get("outcome").asText()).isEqualTo("APPLIED");
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().stream()
                .anyMatch(d -> "this is not a cloud event".equals(new String(d.value(), UTF_8))));
        CommandBus.Received dead = bus.deadLetters().stream()
                .filter(d -> "this is not a cloud event".equals(new String(d.value(), UTF_8))).findFirst().orElseThrow();
        assertThat(dead.key()).isEqualTo(NS + "/poisoned");
        assertThat(dead.headers()).containsEntry("dead-letter-reason", "not a CloudEvent: no ce_specversion header "
                + "(binary mode) and no content-type application/cloudevents+json (structured mode)")
                .containsEntry("dead-letter-topic", "flink.commands")
                .containsKey("dead-letter-partition").containsKey("dead-letter-offset");
        assertThat(bus.results()).noneMatch(r -> r.key() != null && r.key().equals(NS + "/poisoned")
                && !r.data().path("commandId").asText().equals(next));
    }

    @Test
    void everyCommandHasExactlyOneResult() {
        String a = bus.sendStructured("flink.job.deploy", NS + "/once", deployData(1));
        String b = bus.sendStructured("flink.job.suspend", NS + "/once", "{}");
        String c = bus.sendStructured("flink.job.resume", NS + "/once", "{}");
        bus.awaitResult(c);

        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> Map.of(
                a, bus.resultsFor(a).size(), b, bus.resultsFor(b).size(), c, bus.resultsFor(c).size())
                .values().stream().allMatch(n -> n == 1));
    }
}
