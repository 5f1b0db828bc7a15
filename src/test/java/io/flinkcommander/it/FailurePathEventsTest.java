package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.contract.EventSchemas;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.SimulatedReconciler;
import io.flinkcommander.fixture.SimulatedSnapshotReconciler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkStateSnapshot;

/**
 * What a consumer reads when things go wrong, as the simulated operator makes them go wrong: a job
 * that fails, an upgrade the operator rolls back, a savepoint whose trigger fails.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class FailurePathEventsTest {

    static final String NS = "failures";
    static final String LIFECYCLE = "flink.job.lifecycle-changed";

    static CommandBus bus;
    static EventTap tap;
    static KubernetesClient kubernetes;
    static EventSchemas schemas;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        tap = EventTap.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
        schemas = EventSchemas.load();
    }

    @Test
    void jobThatFailsAfterItsDeploymentIsPublishedAsFailed() {
        String deploy = deploy("crashing", "{\"" + SimulatedReconciler.FAILS_KEY + "\":\"true\"}");

        EventTap.Event failed = tap.await(NS + "/crashing", lifecycleTo("FAILED"));

        assertThat(lifecycleOf("crashing")).containsExactly("null->CREATED", "CREATED->DEPLOYED", "DEPLOYED->FAILED");
        assertThat(failed.record().data()).isEqualTo(CommandBus.parse("{\"from\":\"DEPLOYED\",\"to\":\"FAILED\","
                + "\"jobState\":\"FAILED\",\"generation\":1,\"observedGeneration\":1}"));
        assertThat(failed.header("ce_causationid")).isEqualTo(deploy);
        EventTap.Event jobFailed = tap.await(NS + "/crashing",
                e -> "flink.job.status-changed".equals(e.type()) && "FAILED".equals(e.field("to")));
        assertThat(jobFailed.record().data()).isEqualTo(CommandBus.parse("{\"from\":\"RUNNING\",\"to\":\"FAILED\","
                + "\"jobId\":\"" + SimulatedReconciler.jobIdFor(NS, "crashing", 1) + "\"}"));
        assertMatchSchemas("crashing");
    }

    @Test
    void upgradeThatFailsIsRolledBackAndPublishedAsRollingBackThenRolledBack() {
        deploy("rollback", "{\"" + SimulatedReconciler.ROLLBACK_ENABLED_KEY + "\":\"true\",\""
                + SimulatedReconciler.READINESS_TIMEOUT_KEY + "\":\"1 s\"}");
        tap.await(NS + "/rollback", lifecycleTo("STABLE"));

        String upgrade = bus.sendStructured("flink.job.upgrade", NS + "/rollback",
                "{\"patch\":{\"flinkConfiguration\":{\"" + SimulatedReconciler.FAILS_KEY + "\":\"true\"}}}");
        assertThat(bus.awaitResult(upgrade).path("outcome").asText()).isEqualTo("APPLIED");
        EventTap.Event rolledBack = tap.await(NS + "/rollback", lifecycleTo("ROLLED_BACK"));

        assertThat(lifecycleOf("rollback")).containsExactly("null->CREATED", "CREATED->DEPLOYED", "DEPLOYED->STABLE",
                "STABLE->UPGRADING", "UPGRADING->DEPLOYED", "DEPLOYED->FAILED", "FAILED->ROLLING_BACK",
                "ROLLING_BACK->ROLLED_BACK");
        EventTap.Event rollingBack = tap.await(NS + "/rollback", lifecycleTo("ROLLING_BACK"));
        assertThat(rollingBack.record().data()).isEqualTo(CommandBus.parse("{\"from\":\"FAILED\","
                + "\"to\":\"ROLLING_BACK\",\"jobState\":\"FAILED\",\"generation\":2,\"observedGeneration\":2}"));
        assertThat(rolledBack.record().data()).isEqualTo(CommandBus.parse("{\"from\":\"ROLLING_BACK\","
                + "\"to\":\"ROLLED_BACK\",\"jobState\":\"RUNNING\",\"generation\":2,\"observedGeneration\":2}"));
        // The command behind the current generation, as for every change after it.
        assertThat(List.of(rollingBack, rolledBack)).allSatisfy(e -> {
            assertThat(e.header("ce_causationid")).isEqualTo(upgrade);
            assertThat(e.header("ce_subject")).isEqualTo(NS + "/rollback");
        });
        assertThat(tap.about(NS + "/rollback", "flink.job.status-changed").stream()
                .map(e -> e.field("from") + "->" + e.field("to")))
                .containsExactly("null->RUNNING", "RUNNING->FINISHED", "FINISHED->RUNNING", "RUNNING->FAILED",
                        "FAILED->RUNNING");
        assertMatchSchemas("rollback");
    }

    @Test
    void savepointWhoseTriggerFailsIsPublishedAsFailedWithTheOperatorsSavepointErrorEvent() {
        deploy("unsaved", "{\"" + SimulatedSnapshotReconciler.FAILS_KEY + "\":\"true\"}");
        tap.await(NS + "/unsaved", lifecycleTo("STABLE"));
        String savepoint = bus.sendStructured("flink.job.savepoint", NS + "/unsaved", "{}");

        EventTap.Event failed = tap.await(NS + "/unsaved", e -> "flink.savepoint.failed".equals(e.type()));

        FlinkStateSnapshot snapshot = kubernetes.resources(FlinkStateSnapshot.class).inNamespace(NS).list().getItems()
                .stream().filter(s -> s.getSpec().getJobReference().getName().equals("unsaved")).findFirst().orElseThrow();
        ObjectNode expected = (ObjectNode) CommandBus.parse("{\"kind\":\"SAVEPOINT\",\"triggerType\":\"MANUAL\","
                + "\"formatType\":\"UNKNOWN\",\"path\":null,\"reason\":\"Failed\"}");
        expected.put("snapshotName", snapshot.getMetadata().getName());
        expected.put("triggerTimestamp", snapshot.getStatus().getTriggerTimestamp());
        expected.put("resultTimestamp", snapshot.getStatus().getResultTimestamp());
        expected.put("error", SimulatedSnapshotReconciler.TRIGGER_ERROR);
        assertThat(failed.record().data()).isEqualTo(expected);
        assertThat(failed.header("ce_causationid")).isEqualTo(savepoint);
        assertThat(failed.header("ce_id")).isEqualTo(snapshot.getMetadata().getUid() + "/flink.savepoint.failed");
        assertThat(failed.topic()).isEqualTo(EventTap.SAVEPOINTS);
        assertThat(tap.about(NS + "/unsaved").stream().filter(e -> e.topic().equals(EventTap.SAVEPOINTS))
                .map(EventTap.Event::type)).containsExactly("flink.savepoint.triggered", "flink.savepoint.failed");

        EventTap.Event error = tap.await(NS + "/unsaved", e -> "flink.job.operator-event".equals(e.type())
                && "SavepointError".equals(e.field("reason")));
        assertThat(error.record().data()).isEqualTo(CommandBus.parse("{\"reason\":\"SavepointError\","
                + "\"type\":\"Warning\",\"message\":\"" + SimulatedSnapshotReconciler.TRIGGER_ERROR + "\",\"count\":1}"));
        assertThat(error.header("ce_subject")).as("the snapshot's job").isEqualTo(NS + "/unsaved");
        assertThat(error.header("ce_causationid")).isNull();
        assertThat(error.topic()).isEqualTo(EventTap.LIFECYCLE);
        assertMatchSchemas("unsaved");
    }

    private static String deploy(String name, String flinkConfiguration) {
        ObjectNode spec = (ObjectNode) CommandBus.parse(CommandFlowTest.APP_SPEC.formatted(2));
        spec.set("flinkConfiguration", CommandBus.parse(flinkConfiguration));
        String id = bus.sendStructured("flink.job.deploy", NS + "/" + name, "{\"spec\":" + spec + "}");
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        return id;
    }

    private static List<String> lifecycleOf(String name) {
        return tap.about(NS + "/" + name, LIFECYCLE).stream().map(e -> e.field("from") + "->" + e.field("to")).toList();
    }

    private static void assertMatchSchemas(String name) {
        assertThat(tap.about(NS + "/" + name)).allSatisfy(e -> assertThat(
                schemas.violations(e.record().headers(), e.record().data())).as(e.type()).isEmpty());
    }

}
