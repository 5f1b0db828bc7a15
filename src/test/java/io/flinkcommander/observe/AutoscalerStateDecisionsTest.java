package io.flinkcommander.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.events.ObservedEvent.ScalingDecided;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Origin;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Vertex;
import io.flinkcommander.observe.LastPublished.Scale;

/** {@code parallelismOverrides} in the autoscaler's state ConfigMap as AUTOSCALER decisions. */
class AutoscalerStateDecisionsTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final String A = "bc764cd8ddf7a0cff126f51c16239658";
    static final String B = "0a448493b4782967b150582570326227";

    static AutoscalerStateView state(String rv, String overrides) {
        return new AutoscalerStateView("uid-cm", "ns", "job", rv, overrides);
    }

    @Test
    void firstOverridesAreADecisionFromTheJobsParallelism() {
        Transition t = ScalingDecisions.ofAutoscalerState(state("5", A + ":4," + B + ":3"), 2L, true,
                LastPublished.NOTHING, NOW);

        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo("uid-cm/5/flink.scaling.decided");
            assertThat(o.subject()).isEqualTo("ns/job");
            assertThat(o.causationId()).isNull();
            assertThat(o.event()).isEqualTo(new ScalingDecided(Origin.AUTOSCALER,
                    List.of(new Vertex(B, 2L, 3, null, null), new Vertex(A, 2L, 4, null, null)), true));
        });
        assertThat(t.mark().scale()).isEqualTo(new Scale(null, A + ":4," + B + ":3"));
    }

    @Test
    void changedOverridesNameOnlyTheChangedVerticesFromTheirPreviousOverride() {
        LastPublished mark = LastPublished.NOTHING.withScale(new Scale(null, A + ":4," + B + ":3"));

        Transition t = ScalingDecisions.ofAutoscalerState(state("9", A + ":6," + B + ":3"), 2L, false, mark, NOW);

        assertThat(t.observations()).extracting(o -> o.event()).containsExactly(
                new ScalingDecided(Origin.AUTOSCALER, List.of(new Vertex(A, 4L, 6, null, null)), false));
    }

    @Test
    void sameOverridesOrOnlyRemovedOnesPublishNothing() {
        LastPublished mark = LastPublished.NOTHING.withScale(new Scale(null, A + ":4"));
        assertThat(ScalingDecisions.ofAutoscalerState(state("9", A + ":4"), 2L, true, mark, NOW).observations())
                .isEmpty();

        Transition removed = ScalingDecisions.ofAutoscalerState(state("10", null), 2L, true, mark, NOW);
        assertThat(removed.observations()).isEmpty();
        assertThat(removed.mark().scale()).isEqualTo(new Scale(null, null));
    }

    @Test
    void theJobIsTheAppLabelElseTheNameAfterThePrefixAndOtherConfigMapsAreNotRead() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AutoscalerStateView labelled = AutoscalerStateView.of(json.readTree("""
                {"metadata": {"name": "autoscaler-orders", "namespace": "ns", "uid": "u", "resourceVersion": "3",
                 "labels": {"app": "orders-v2", "component": "autoscaler"}},
                 "data": {"parallelismOverrides": "%s:2", "collectedMetrics": "H4sI..."}}""".formatted(A)));
        assertThat(labelled).isEqualTo(new AutoscalerStateView("u", "ns", "orders-v2", "3", A + ":2"));
        assertThat(AutoscalerStateView.of(json.readTree("{\"metadata\": {\"name\": \"autoscaler-orders\"}}")).jobName())
                .isEqualTo("orders");
        assertThat(AutoscalerStateView.of(json.readTree("{\"metadata\": {\"name\": \"flink-config-orders\"}}"))).isNull();
    }
}
