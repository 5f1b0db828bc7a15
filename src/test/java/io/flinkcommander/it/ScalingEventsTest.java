package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.SimulatedAutoscaler;
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
    void autoscalerScalingReportIsAnAutoscalerDecisionWithItsRates() {
        deployStable("auto", "{\"job.autoscaler.enabled\":\"true\"}");

        // The report's decision has rates; the state ConfigMap's (below) has none.
        EventTap.Event decided = tap.await(NS + "/auto", e -> DECIDED.equals(e.type())
                && e.record().data().path("vertices").path(0).has("processingCapacity"));

        String source = SimulatedAutoscaler.sourceVertex(NS, "auto");
        String sink = SimulatedAutoscaler.sinkVertex(NS, "auto");
        assertThat(decided.record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"AUTOSCALER\",\"vertices\":["
                + "{\"vertexId\":\"" + source + "\",\"from\":2,\"to\":4,\"processingCapacity\":2000.0,\"targetDataRate\":3000.0},"
                + "{\"vertexId\":\"" + sink + "\",\"from\":2,\"to\":3,\"processingCapacity\":2000.0,\"targetDataRate\":2400.0}"
                + "],\"applied\":true}"));
        assertThat(decided.header("ce_causationid")).isNull();
        assertThat(decided.topic()).isEqualTo(EventTap.SCALING);
        EventTap.Event report = tap.await(NS + "/auto", e -> "flink.job.operator-event".equals(e.type()));
        assertThat(report.field("reason")).isEqualTo("ScalingReport");
        assertThat(decided.header("ce_id")).endsWith("/1/" + DECIDED);
    }

    @Test
    void parallelismTheAutoscalerStoresInItsStateConfigMapIsAnAppliedAutoscalerDecision() {
        deployStable("stored", "{\"job.autoscaler.enabled\":\"true\"}");
        ConfigMap state = org.awaitility.Awaitility.await().until(
                () -> kubernetes.configMaps().inNamespace(NS).withName("autoscaler-stored").get(), Objects::nonNull);

        EventTap.Event decided = tap.await(NS + "/stored", e -> DECIDED.equals(e.type())
                && e.header("ce_id").startsWith(state.getMetadata().getUid() + "/"));

        String source = SimulatedAutoscaler.sourceVertex(NS, "stored");
        String sink = SimulatedAutoscaler.sinkVertex(NS, "stored");
        // In vertex-id order; from the job's parallelism, as no override was stored before.
        List<String> vertices = new java.util.ArrayList<>(List.of(
                "{\"vertexId\":\"" + source + "\",\"from\":2,\"to\":4}",
                "{\"vertexId\":\"" + sink + "\",\"from\":2,\"to\":3}"));
        if (sink.compareTo(source) < 0) {
            java.util.Collections.reverse(vertices);
        }
        assertThat(decided.record().data()).isEqualTo(CommandBus.parse("{\"origin\":\"AUTOSCALER\",\"vertices\":["
                + String.join(",", vertices) + "],\"applied\":true}"));
        // The ConfigMap's resourceVersion when the overrides were stored; it moves on afterwards
        // (the autoscaler's later flushes, our mark), so only its form is known here.
        assertThat(decided.header("ce_id")).matches(java.util.regex.Pattern.quote(state.getMetadata().getUid())
                + "/[0-9]+/" + java.util.regex.Pattern.quote(DECIDED));
        assertThat(decided.header("ce_subject")).isEqualTo(NS + "/stored");
        assertThat(decided.header("ce_causationid")).isNull();
        assertThat(decided.topic()).isEqualTo(EventTap.SCALING);
        // One decision from the report (with rates) and one from the stored overrides, nothing twice.
        org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(1)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> tap.about(NS + "/stored", DECIDED).size() == 2);
    }

    @Test
    void autoscalerInAdvisoryModeDecidesWithoutApplying() {
        deployStable("advisory", "{\"job.autoscaler.enabled\":\"true\",\"job.autoscaler.scaling.enabled\":\"false\"}");

        EventTap.Event decided = tap.await(NS + "/advisory", e -> DECIDED.equals(e.type()));

        assertThat(decided.record().data().path("origin").asText()).isEqualTo("AUTOSCALER");
        assertThat(decided.record().data().path("applied").asBoolean()).isFalse();
        assertThat(decided.record().data().path("vertices").size()).isEqualTo(2);
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

    private static String uid(String name) {
        return kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get().getMetadata().getUid();
    }
}
