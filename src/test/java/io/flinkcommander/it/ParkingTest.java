package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.KubernetesTraffic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * A stuck job (the Kubernetes API answers 503 to every request about it, and only about it) holds
 * up no other job: its commands are parked and answered in order, once, when it recovers or when
 * the retry deadline has passed.
 */
@QuarkusTest
@TestProfile(ParkingTest.LongDeadline.class)
@WithTestResource(FlinkPlatformTestResource.class)
class ParkingTest {

    /** A deadline long enough that a test can see a job stuck, short enough to wait for. */
    public static class LongDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("commander.apply.retry-deadline", "8s", "commander.apply.inline-deadline", "500ms");
        }
    }

    static final String NS = "parking";
    static final Duration RETRY_DEADLINE = Duration.ofSeconds(8);
    static CommandBus bus;
    static FlinkPlatform platform;

    @BeforeAll
    static void connect() {
        platform = FlinkPlatformTestResource.platform();
        bus = CommandBus.shared();
    }

    @AfterEach
    void recover() {
        platform.kubernetes().traffic().clearFaults();
    }

    static void stick(String name) {
        platform.kubernetes().traffic().injectFaults(KubernetesTraffic.FaultRule.forResource("flinkdeployments", name,
                new KubernetesTraffic.Fault.Respond(503)));
    }

    static FlinkDeployment deployment(String name) {
        return platform.kubernetesClient().resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
    }

    static void deploy(String name) {
        assertThat(bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/" + name, CommandFlowTest.deployData(1)))
                .get("outcome").asText()).isEqualTo("APPLIED");
    }

    /** Which of these commands were answered, in the order a consumer read their results. */
    static List<String> answered(String name, List<String> ids) {
        return bus.results().stream().filter(r -> (NS + "/" + name).equals(r.key()))
                .map(r -> r.data().get("commandId").asText()).filter(ids::contains).toList();
    }

    @Test
    void otherJobsAreAnsweredWhileAJobIsStuck_andItsCommandsFailInOrderAtTheDeadline() {
        deploy("stuck-down");
        stick("stuck-down");
        long stuckSince = System.nanoTime();
        String first = bus.sendStructured("flink.job.scale", NS + "/stuck-down", "{\"parallelism\":2}");
        String second = bus.sendStructured("flink.job.scale", NS + "/stuck-down", "{\"parallelism\":3}");
        List<String> others = new ArrayList<>();
        for (int job = 0; job < 6; job++) {
            others.add(bus.sendStructured("flink.job.deploy", NS + "/healthy-" + job, CommandFlowTest.deployData(1)));
        }

        others.forEach(id -> assertThat(bus.awaitResult(id).get("outcome").asText()).as(id).isEqualTo("APPLIED"));
        Duration othersAnswered = Duration.ofNanos(System.nanoTime() - stuckSince);
        assertThat(othersAnswered).as("the others wait for no retry deadline").isLessThan(RETRY_DEADLINE.minusSeconds(2));
        assertThat(bus.resultsFor(first)).as("the stuck job is still being retried").isEmpty();
        assertThat(bus.resultsFor(second)).isEmpty();

        JsonNode firstResult = bus.awaitResult(first);
        JsonNode secondResult = bus.awaitResult(second);
        assertThat(Duration.ofNanos(System.nanoTime() - stuckSince)).isGreaterThanOrEqualTo(RETRY_DEADLINE);
        assertThat(firstResult.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(firstResult.get("reason").asText())
                .startsWith("Kubernetes API unavailable for 8000 ms, last error: HTTP 503");
        assertThat(secondResult.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(answered("stuck-down", List.of(first, second))).as("once each, in order").containsExactly(first, second);
        assertThat(deployment("stuck-down").getSpec().getJob().getParallelism()).isEqualTo(1L);
    }

    @Test
    void aStuckJobsLaterCommandsWaitAndApplyInOrderOnceItRecovers() {
        deploy("stuck-recovers");
        long generation = deployment("stuck-recovers").getMetadata().getGeneration();
        long faultsBefore = platform.kubernetes().traffic().faultsInjected();
        stick("stuck-recovers");
        String scale = bus.sendStructured("flink.job.scale", NS + "/stuck-recovers", "{\"parallelism\":2}");
        String rescale = bus.sendStructured("flink.job.scale", NS + "/stuck-recovers", "{\"parallelism\":3}");
        // Last: a savepoint followed at once by an upgrade may be abandoned, as the operator does.
        String savepoint = bus.sendStructured("flink.job.savepoint", NS + "/stuck-recovers", "{}");
        String other = bus.sendStructured("flink.job.deploy", NS + "/bystander", CommandFlowTest.deployData(1));

        assertThat(bus.awaitResult(other).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(platform.kubernetes().traffic().faultsInjected()).isGreaterThan(faultsBefore);
        List<String> stuck = List.of(scale, rescale, savepoint);
        assertThat(answered("stuck-recovers", stuck)).as("nothing answered while stuck").isEmpty();

        platform.kubernetes().traffic().clearFaults();
        // Counted when parked (scraping is slow on a busy machine: only now, the job has recovered).
        assertThat(metric("commander_commands_parked_total")).as(parkedMetrics()).isGreaterThanOrEqualTo(3);

        stuck.forEach(id -> assertThat(bus.awaitResult(id).get("outcome").asText()).as(id).isEqualTo("APPLIED"));
        assertThat(answered("stuck-recovers", stuck)).as("once each, in order").containsExactly(scale, rescale, savepoint);
        FlinkDeployment recovered = deployment("stuck-recovers");
        assertThat(recovered.getSpec().getJob().getParallelism()).isEqualTo(3L);
        assertThat(recovered.getMetadata().getGeneration()).as("two scales, each written once").isEqualTo(generation + 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.operator().snapshotsCompleted(NS, "stuck-recovers") >= 1);
        assertThat(platform.operator().snapshotsCompleted(NS, "stuck-recovers")).isEqualTo(1);
        // Refreshed before each batch and every 5 s.
        await().atMost(Duration.ofSeconds(15)).until(() -> metric("commander_commands_parked_pending") == 0);
    }

    static String parkedMetrics() {
        return io.restassured.RestAssured.get("/q/metrics").asString().lines().filter(l -> l.contains("parked"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    static double metric(String name) {
        String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
