package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.contract.EventSchemas;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.SimulatedSnapshotReconciler;
import io.flinkcommander.observe.ResourceObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.apache.flink.v1beta1.FlinkStateSnapshot;

/** A savepoint command whose snapshot never completes gets one {@code flink.savepoint.failed}, reason Timeout. */
@QuarkusTest
@TestProfile(SnapshotTimeoutTest.ShortTimeouts.class)
@WithTestResource(FlinkPlatformTestResource.class)
class SnapshotTimeoutTest {

    /** Timeouts and the periodic resync in seconds instead of minutes (also used by {@link ObserverResyncTest}). */
    public static class ShortTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("commander.snapshots.timeout", "3s", "commander.snapshots.timeout-check", "200ms",
                    "commander.observe.resync", "2s");
        }
    }

    static final String NS = "timeouts";
    static final String FAILED = "flink.savepoint.failed";

    static CommandBus bus;
    static EventTap tap;
    static KubernetesClient kubernetes;

    @Inject
    ResourceObserver observer;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        tap = EventTap.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
    }

    @Test
    void savepointStuckInProgressFailsWithReasonTimeoutOnceAndNotAgainAfterARestart() {
        deployStuck("stuck");
        String savepoint = bus.sendStructured("flink.job.savepoint", NS + "/stuck", "{}");

        EventTap.Event failed = tap.await(NS + "/stuck", e -> FAILED.equals(e.type()));

        FlinkStateSnapshot snapshot = snapshotOf("stuck");
        assertThat(snapshot.getStatus().getState().getValue()).isEqualTo("IN_PROGRESS");
        String triggered = snapshot.getStatus().getTriggerTimestamp();
        ObjectNode expected = (ObjectNode) CommandBus.parse("{\"kind\":\"SAVEPOINT\",\"triggerType\":\"MANUAL\","
                + "\"formatType\":\"UNKNOWN\",\"path\":null,\"reason\":\"Timeout\"}");
        expected.put("snapshotName", snapshot.getMetadata().getName());
        expected.put("triggerTimestamp", triggered);
        expected.put("resultTimestamp", failed.field("resultTimestamp"));
        expected.put("error", "not completed within PT3S of " + triggered + " (state IN_PROGRESS)");
        assertThat(failed.record().data()).isEqualTo(expected);
        assertThat(java.time.Instant.parse(failed.field("resultTimestamp")))
                .isAfterOrEqualTo(java.time.Instant.parse(triggered).plusSeconds(3));
        assertThat(failed.header("ce_causationid")).isEqualTo(savepoint);
        assertThat(failed.header("ce_id")).isEqualTo(snapshot.getMetadata().getUid() + "/timeout/" + FAILED);
        assertThat(EventSchemas.load().violations(failed.record().headers(), failed.record().data())).isEmpty();

        // Checked every 200 ms: still one. Then a restart starts from the mark on the snapshot.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> tap.about(NS + "/stuck", FAILED).size() == 1);
        observer.stop();
        observer.start();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> tap.about(NS + "/stuck", FAILED).size() == 1);
        assertThat(tap.about(NS + "/stuck").stream().filter(e -> e.topic().equals(EventTap.SAVEPOINTS))
                .map(EventTap.Event::type)).containsExactly("flink.savepoint.triggered", FAILED);
    }

    @Test
    void onlyTheLeaderPublishesTheTimeoutAndANewLeaderPublishesOneThatCameDueMeanwhile() {
        deployStuck("unled");
        observer.lead(false);
        try {
            bus.awaitResult(bus.sendStructured("flink.job.checkpoint", NS + "/unled", "{}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotOf("unled") != null
                    && snapshotOf("unled").getStatus() != null && snapshotOf("unled").getStatus().getTriggerTimestamp() != null);
            java.time.Instant due = java.time.Instant.parse(snapshotOf("unled").getStatus().getTriggerTimestamp())
                    .plusSeconds(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> java.time.Instant.now().isAfter(due));
            assertThat(tap.about(NS + "/unled", FAILED)).as("a follower publishes nothing").isEmpty();
        } finally {
            observer.lead(true);
        }

        EventTap.Event failed = tap.await(NS + "/unled", e -> FAILED.equals(e.type()));

        assertThat(failed.field("kind")).isEqualTo("CHECKPOINT");
        assertThat(failed.field("reason")).isEqualTo("Timeout");
        // The net change: triggered and timed out, once each.
        assertThat(tap.about(NS + "/unled").stream().filter(e -> e.topic().equals(EventTap.SAVEPOINTS))
                .map(EventTap.Event::type)).containsExactly("flink.savepoint.triggered", FAILED);
    }

    private static void deployStuck(String name) {
        ObjectNode spec = (ObjectNode) CommandBus.parse(CommandFlowTest.APP_SPEC.formatted(1));
        spec.putObject("flinkConfiguration").put(SimulatedSnapshotReconciler.HANGS_KEY, "true");
        String id = bus.sendStructured("flink.job.deploy", NS + "/" + name, "{\"spec\":" + spec + "}");
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        tap.await(NS + "/" + name, lifecycleTo("STABLE"));
    }

    private static FlinkStateSnapshot snapshotOf(String job) {
        List<FlinkStateSnapshot> all = kubernetes.resources(FlinkStateSnapshot.class).inNamespace(NS).list().getItems();
        return all.stream().filter(s -> s.getSpec().getJobReference().getName().equals(job)).findFirst().orElse(null);
    }
}
