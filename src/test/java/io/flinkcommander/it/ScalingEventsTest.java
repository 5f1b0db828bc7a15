package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.SimulatedAutoscaler;
import io.flinkcommander.observe.ResourceObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;

/** {@code flink.scaling.decided} on {@code flink.scaling}, as a downstream consumer reads it. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class ScalingEventsTest {

    static final String NS = "scaling";
    static final String DECIDED = "flink.scaling.decided";
    static final String VERTEX_A = "bc764cd8ddf7a0cff126f51c16239658";
    static final String VERTEX_B = "0a448493b4782967b150582570326227";

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
    void jobWideScaleCommandIsAManualDecisionForAllVerticesCausedByTheCommand() {
        deployStable("wide", "{}");
        String scale = applied("wide", "{\"parallelism\":4}");

        EventTap.Event decided = tap.await(NS + "/wide", e -> DECIDED.equals(e.type()));

        assertThat(decided.record().data()).isEqualTo(CommandBus.parse(
                "{\"origin\":\"MANUAL\",\"vertices\":[{\"vertexId\":\"*\",\"from\":2,\"to\":4}],\"applied\":true}"));
        assertThat(decided.topic()).isEqualTo(EventTap.SCALING);
        assertThat(decided.record().key()).isEqualTo(NS + "/wide");
        assertThat(decided.header("ce_causationid")).isEqualTo(scale);
        assertThat(decided.header("ce_id")).isEqualTo(uid("wide") + "/" + scale + "/" + DECIDED);
        assertThat(decided.header("ce_subject")).isEqualTo(NS + "/wide");
    }

    @Test
    void perVertexScaleNamesEachChangedVertexFromItsPreviousParallelism() {
        deployStable("vertices", "{}");
        String first = applied("vertices", "{\"vertexParallelism\":{\"" + VERTEX_A + "\":3}}");
        tap.await(NS + "/vertices", e -> DECIDED.equals(e.type()));
        String second = applied("vertices", "{\"vertexParallelism\":{\"" + VERTEX_A + "\":5,\"" + VERTEX_B + "\":1}}");
        org.awaitility.Awaitility.await().until(() -> tap.about(NS + "/vertices", DECIDED).size() == 2);

        List<EventTap.Event> decided = tap.about(NS + "/vertices", DECIDED);
        assertThat(decided.get(0).record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"MANUAL\",\"vertices\":["
                + "{\"vertexId\":\"" + VERTEX_A + "\",\"from\":2,\"to\":3}],\"applied\":true}"));
        assertThat(decided.get(0).header("ce_causationid")).isEqualTo(first);
        // Overrides are listed in vertex-id order, as the service writes them.
        assertThat(decided.get(1).record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"MANUAL\",\"vertices\":["
                + "{\"vertexId\":\"" + VERTEX_B + "\",\"from\":2,\"to\":1},"
                + "{\"vertexId\":\"" + VERTEX_A + "\",\"from\":3,\"to\":5}],\"applied\":true}"));
        assertThat(decided.get(1).header("ce_causationid")).isEqualTo(second);
    }

    @Test
    void anExecutedAutoscalerDecisionIsPublishedOnceWithTheReportsRatesAndItsMarkIsOnTheJob() {
        deployStable("auto", "{\"job.autoscaler.enabled\":\"true\"}");

        // The operator records the ScalingReport Event, then stores the overrides in its ConfigMap.
        EventTap.Event decided = tap.await(NS + "/auto", e -> DECIDED.equals(e.type()));
        ConfigMap state = kubernetes.configMaps().inNamespace(NS).withName("autoscaler-auto").get();
        Event report = reportOf("auto");

        String source = SimulatedAutoscaler.sourceVertex(NS, "auto");
        String sink = SimulatedAutoscaler.sinkVertex(NS, "auto");
        // The third vertex, stored unchanged at 2, is no part of the decision.
        assertThat(decided.record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"AUTOSCALER\",\"vertices\":["
                + "{\"vertexId\":\"" + source + "\",\"from\":2,\"to\":4,\"processingCapacity\":2000.0,\"targetDataRate\":3000.0},"
                + "{\"vertexId\":\"" + sink + "\",\"from\":2,\"to\":3,\"processingCapacity\":2000.0,\"targetDataRate\":2400.0}"
                + "],\"applied\":true}"));
        assertThat(decided.header("ce_id")).isEqualTo(report.getMetadata().getUid() + "/1/" + DECIDED);
        assertThat(decided.header("ce_causationid")).isNull();
        assertThat(decided.header("ce_subject")).isEqualTo(NS + "/auto");
        assertThat(decided.topic()).isEqualTo(EventTap.SCALING);
        assertThat(tap.await(NS + "/auto", e -> "flink.job.operator-event".equals(e.type())).field("reason"))
                .isEqualTo("ScalingReport");
        // One decision from two sources, and the job remembers it; the autoscaler's ConfigMap is never written.
        awaitOneDecision("auto");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPublished("auto").contains(
                state.getData().get(SimulatedAutoscaler.PARALLELISM_OVERRIDES)));
        ConfigMap after = kubernetes.configMaps().inNamespace(NS).withName("autoscaler-auto").get();
        assertThat(after.getMetadata().getAnnotations()).as("annotations of the autoscaler's ConfigMap").isNullOrEmpty();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(state.getMetadata().getResourceVersion());
    }

    @Test
    void reportArrivingBeforeTheStoredOverridesGivesOneDecisionWithItsRates() {
        deployStable("report-first", "{}");
        Event report = recordReport("report-first", 1, 2, 5);
        tap.await(NS + "/report-first", e -> "flink.job.operator-event".equals(e.type()));
        assertThat(tap.about(NS + "/report-first", DECIDED)).as("an executed report waits for its overrides").isEmpty();

        storeOverrides("report-first", VERTEX_A + ":5," + VERTEX_B + ":2");

        EventTap.Event decided = tap.await(NS + "/report-first", e -> DECIDED.equals(e.type()));
        assertThat(decided.record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"AUTOSCALER\",\"vertices\":["
                + "{\"vertexId\":\"" + VERTEX_A + "\",\"from\":2,\"to\":5,\"processingCapacity\":2000.0,\"targetDataRate\":3000.0}"
                + "],\"applied\":true}"));
        assertThat(decided.header("ce_id")).isEqualTo(report.getMetadata().getUid() + "/1/" + DECIDED);
        awaitOneDecision("report-first");
    }

    @Test
    void storedOverridesArrivingBeforeTheReportGiveOneDecision() {
        deployStable("overrides-first", "{}");
        ConfigMap state = storeOverrides("overrides-first", VERTEX_A + ":5," + VERTEX_B + ":2");

        // No report exists yet (not even in the API): decided from the overrides alone, without rates.
        EventTap.Event decided = tap.await(NS + "/overrides-first", e -> DECIDED.equals(e.type()));
        assertThat(decided.record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"AUTOSCALER\",\"vertices\":["
                + "{\"vertexId\":\"" + VERTEX_A + "\",\"from\":2,\"to\":5}],\"applied\":true}"));
        assertThat(decided.header("ce_id")).isEqualTo(state.getMetadata().getUid() + "/"
                + state.getMetadata().getResourceVersion() + "/" + DECIDED);

        recordReport("overrides-first", 1, 2, 5);
        tap.await(NS + "/overrides-first", e -> "flink.job.operator-event".equals(e.type()));
        awaitOneDecision("overrides-first");
    }

    @Test
    void aRestartedObserverPublishesTheDecisionMadeWhileItWasDownOnceAndNoEarlierOneAgain() {
        deployStable("auto-restart", "{}");
        recordReport("auto-restart", 1, 2, 4);
        storeOverrides("auto-restart", VERTEX_A + ":4");
        awaitOneDecision("auto-restart");
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPublished("auto-restart").contains(VERTEX_A + ":4"));

        observer.stop();
        Event second;
        try {
            second = recordReport("auto-restart", 2, 4, 6);
            storeOverrides("auto-restart", VERTEX_A + ":6");
        } finally {
            observer.start();
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> tap.about(NS + "/auto-restart", DECIDED).size() == 2);
        EventTap.Event decided = tap.about(NS + "/auto-restart", DECIDED).get(1);
        assertThat(decided.record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"AUTOSCALER\",\"vertices\":["
                + "{\"vertexId\":\"" + VERTEX_A + "\",\"from\":4,\"to\":6,\"processingCapacity\":4000.0,\"targetDataRate\":6000.0}"
                + "],\"applied\":true}"));
        assertThat(decided.header("ce_id")).isEqualTo(second.getMetadata().getUid() + "/1/" + DECIDED);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> tap.about(NS + "/auto-restart", DECIDED).size() == 2);
        assertThat(tap.about(NS + "/auto-restart").stream().map(e -> e.header("ce_id")).toList()).doesNotHaveDuplicates();
    }

    @Test
    void autoscalerInAdvisoryModeDecidesWithoutApplying() {
        deployStable("advisory", "{\"job.autoscaler.enabled\":\"true\",\"job.autoscaler.scaling.enabled\":\"false\"}");

        EventTap.Event decided = tap.await(NS + "/advisory", e -> DECIDED.equals(e.type()));

        assertThat(decided.record().data().path("origin").asText()).isEqualTo("AUTOSCALER");
        assertThat(decided.record().data().path("applied").asBoolean()).isFalse();
        assertThat(decided.record().data().path("vertices").size()).isEqualTo(2);
        assertThat(decided.header("ce_id")).isEqualTo(reportOf("advisory").getMetadata().getUid() + "/1/" + DECIDED);
        assertThat(kubernetes.configMaps().inNamespace(NS).withName("autoscaler-advisory").get()).isNull();
        awaitOneDecision("advisory");
    }

    private static void deployStable(String name, String flinkConfiguration) {
        ObjectNode spec = (ObjectNode) CommandBus.parse(CommandFlowTest.APP_SPEC.formatted(2));
        spec.set("flinkConfiguration", CommandBus.parse(flinkConfiguration));
        String id = bus.sendStructured("flink.job.deploy", NS + "/" + name, "{\"spec\":" + spec + "}");
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        tap.await(NS + "/" + name, lifecycleTo("STABLE"));
    }

    private static String applied(String name, String data) {
        String id = bus.sendStructured("flink.job.scale", NS + "/" + name, data);
        JsonNode result = bus.awaitResult(id);
        assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("APPLIED");
        return id;
    }

    /** Exactly one decision, for a while. */
    private static void awaitOneDecision(String name) {
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> tap.about(NS + "/" + name, DECIDED).size() == 1);
    }

    private static Event reportOf(String name) {
        return kubernetes.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "ScalingReport".equals(e.getReason()))
                .findFirst().orElseThrow();
    }

    /** A ScalingReport Event as the operator records it: vertex A from -> to, 1000/s per subtask, 1500/s per source subtask. */
    private static Event recordReport(String name, int number, int from, int to) {
        String now = java.time.Instant.now().toString();
        return kubernetes.v1().events().inNamespace(NS).resource(new EventBuilder()
                .withNewMetadata().withName(name + ".scaling-report-" + number).withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withApiVersion("flink.apache.org/v1beta1").withKind("FlinkDeployment")
                .withName(name).withNamespace(NS).withUid(uid(name)).endInvolvedObject()
                .withReason("ScalingReport").withType("Normal").withCount(1).withFirstTimestamp(now).withLastTimestamp(now)
                .withMessage("Scaling execution enabled, begin scaling vertices:{ Vertex ID " + VERTEX_A + " | Parallelism "
                        + from + " -> " + to + " | Processing capacity " + 1000 * from + ".00 -> " + 1000 * to
                        + ".00 | Target data rate " + 1500 * from + ".00}")
                .build()).create();
    }

    /** The autoscaler's state ConfigMap with these overrides, created or updated as the autoscaler does. */
    private static ConfigMap storeOverrides(String name, String overrides) {
        var configMaps = kubernetes.configMaps().inNamespace(NS);
        ConfigMap existing = configMaps.withName("autoscaler-" + name).get();
        if (existing != null) {
            existing.getData().put(SimulatedAutoscaler.PARALLELISM_OVERRIDES, overrides);
            return configMaps.resource(existing).update();
        }
        return configMaps.resource(new ConfigMapBuilder()
                .withNewMetadata().withName("autoscaler-" + name).withNamespace(NS)
                .withLabels(java.util.Map.of("component", "autoscaler", "app", name))
                .addNewOwnerReference().withApiVersion("flink.apache.org/v1beta1").withKind("FlinkDeployment")
                .withName(name).withUid(uid(name)).endOwnerReference().endMetadata()
                .withData(new java.util.HashMap<>(java.util.Map.of(SimulatedAutoscaler.PARALLELISM_OVERRIDES, overrides)))
                .build()).create();
    }

    private static String lastPublished(String name) {
        return String.valueOf(kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get()
                .getMetadata().getAnnotations().get("flink-commander.io/last-published"));
    }

    private static String uid(String name) {
        return kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get().getMetadata().getUid();
    }
}
