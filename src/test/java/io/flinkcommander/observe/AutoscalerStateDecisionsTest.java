package io.flinkcommander.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.ScalingDecided;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Origin;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Vertex;
import io.flinkcommander.observe.LastPublished.Autoscaled;
import io.flinkcommander.observe.LastPublished.Scale;

/**
 * An executed autoscaler decision is published once: from the overrides the autoscaler stores in
 * its state ConfigMap, with the data of the ScalingReport Event that announced them.
 */
class AutoscalerStateDecisionsTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final String A = "bc764cd8ddf7a0cff126f51c16239658";
    static final String B = "0a448493b4782967b150582570326227";
    static final String C = "5f2c0d7d7c6e4f4c9c0e6d1a2b3c4d5e";
    static final String ENABLED = "Scaling execution enabled, begin scaling vertices:";
    static final String DISABLED =
            "Scaling execution disabled by config job.autoscaler.scaling.enabled:false, recommended parallelism change:";

    static AutoscalerStateView state(String rv, String overrides) {
        return new AutoscalerStateView("uid-cm", "ns", "job", "uid-job", rv, overrides, null);
    }

    static String entry(String vertex, int from, int to) {
        return "{ Vertex ID " + vertex + " | Parallelism " + from + " -> " + to
                + " | Processing capacity 1000.00 -> 2000.00 | Target data rate 1500.00}";
    }

    static ScalingReport.Recorded report(String uid, int count, long time, String message) {
        return ScalingReport.Recorded.of(new OperatorEventView(uid, "ns", "FlinkDeployment", "job",
                ScalingReport.REASON, "Normal", message, count, LastPublished.NOTHING), time).orElseThrow();
    }

    static List<Supplier<List<ScalingReport.Recorded>>> reports(ScalingReport.Recorded... reports) {
        return List.of(() -> List.of(reports));
    }

    static Transition decide(AutoscalerStateView state, List<Supplier<List<ScalingReport.Recorded>>> reports,
            LastPublished mark) {
        return ScalingDecisions.ofAutoscalerState("ns/job", state, reports, 2L, mark, NOW);
    }

    @Test
    void storedOverridesWithTheirReportAreOneDecisionWithTheReportsVerticesRatesAndId() {
        var announced = report("uid-ev", 1, 5_000, ENABLED + entry(A, 2, 4) + entry(B, 2, 3));

        Transition t = decide(state("5", A + ":4," + B + ":3," + C + ":2"), reports(announced), LastPublished.NOTHING);

        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo("uid-ev/1/flink.scaling.decided");
            assertThat(o.subject()).isEqualTo("ns/job");
            assertThat(o.causationId()).isNull();
            // The unchanged vertex C (stored at the job's parallelism) is no part of the decision.
            assertThat(o.event()).isEqualTo(new ScalingDecided(Origin.AUTOSCALER, List.of(
                    new Vertex(A, 2L, 4, 1000.0, 1500.0), new Vertex(B, 2L, 3, 1000.0, 1500.0)), true));
        });
        assertThat(t.mark().autoscaler()).isEqualTo(new Autoscaled(A + ":4," + B + ":3," + C + ":2", 5_000L));
    }

    @Test
    void anExecutedReportAloneDecidesNothingAndARecommendationIsADecisionOfItsOwn() {
        var executed = new OperatorEventView("uid-ev", "ns", "FlinkDeployment", "job", ScalingReport.REASON, "Normal",
                ENABLED + entry(A, 2, 4), 1, LastPublished.NOTHING);
        var recommended = new OperatorEventView("uid-rec", "ns", "FlinkDeployment", "job", ScalingReport.REASON,
                "Normal", DISABLED + entry(A, 2, 4), 1, LastPublished.NOTHING);

        assertThat(Transitions.ofOperatorEvent(executed, "ns/job", LastPublished.NOTHING, NOW).observations())
                .extracting(Observation::id).containsExactly("uid-ev/1/flink.job.operator-event");
        assertThat(Transitions.ofOperatorEvent(recommended, "ns/job", LastPublished.NOTHING, NOW).observations())
                .extracting(Observation::id)
                .containsExactly("uid-rec/1/flink.job.operator-event", "uid-rec/1/flink.scaling.decided");
    }

    @Test
    void withoutAReportTheChangedVerticesAreADecisionFromTheirPreviousParallelism() {
        Transition t = decide(state("5", A + ":4," + B + ":3," + C + ":2"), reports(), LastPublished.NOTHING);

        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo("uid-cm/5/flink.scaling.decided");
            assertThat(o.event()).isEqualTo(new ScalingDecided(Origin.AUTOSCALER,
                    List.of(new Vertex(B, 2L, 3, null, null), new Vertex(A, 2L, 4, null, null)), true));
        });
        assertThat(t.mark().autoscaler()).isEqualTo(new Autoscaled(A + ":4," + B + ":3," + C + ":2", null));
    }

    @Test
    void aReportThatIsARecommendationOrSaysOtherParallelismOrIsNotNewerThanTheLastOneIsAnotherDecision() {
        LastPublished mark = LastPublished.NOTHING.withAutoscaler(new Autoscaled(A + ":4", 5_000L));
        var older = report("uid-old", 1, 5_000, ENABLED + entry(A, 4, 6));
        var otherTarget = report("uid-other", 1, 9_000, ENABLED + entry(A, 4, 8));
        var recommendation = report("uid-rec", 1, 9_000, DISABLED + entry(A, 4, 6));

        Transition t = decide(state("9", A + ":6"), reports(older, otherTarget, recommendation), mark);

        assertThat(t.observations()).extracting(Observation::id).containsExactly("uid-cm/9/flink.scaling.decided");
        assertThat(t.observations().get(0).event()).isEqualTo(
                new ScalingDecided(Origin.AUTOSCALER, List.of(new Vertex(A, 4L, 6, null, null)), true));
        assertThat(t.mark().autoscaler()).isEqualTo(new Autoscaled(A + ":6", 5_000L));
    }

    @Test
    void ofReportsTheNewestMatchingCountsAndTheNextSourceIsAskedOnlyWhenTheFirstHasNone() {
        var first = report("uid-ev", 1, 1_000, ENABLED + entry(A, 2, 4));
        var again = report("uid-ev", 2, 7_000, ENABLED + entry(A, 2, 4));
        List<String> asked = new ArrayList<>();
        List<Supplier<List<ScalingReport.Recorded>>> sources = List.of(
                () -> { asked.add("cache"); return List.of(); },
                () -> { asked.add("api"); return List.of(first, again); },
                () -> { asked.add("never"); return List.of(); });

        Transition t = decide(state("5", A + ":4"), sources, LastPublished.NOTHING);

        assertThat(t.observations()).extracting(Observation::id).containsExactly("uid-ev/2/flink.scaling.decided");
        assertThat(asked).containsExactly("cache", "api");
        asked.clear();
        assertThat(decide(state("6", A + ":4"), sources, t.mark()).observations()).isEmpty();
        assertThat(asked).as("unchanged overrides ask for no report").isEmpty();
    }

    @Test
    void decisionsMadeWhileNobodyPublishedAreTheNetChangeSinceTheMarkWithTheNewestReport() {
        LastPublished mark = LastPublished.NOTHING.withAutoscaler(new Autoscaled(A + ":2," + B + ":2", 1_000L));
        // Meanwhile: B 2 -> 5 (its report expired), then A 2 -> 4.
        var newest = report("uid-a", 1, 9_000, ENABLED + entry(A, 2, 4));

        Transition t = decide(state("12", A + ":4," + B + ":5"), reports(newest), mark);

        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo("uid-a/1/flink.scaling.decided");
            assertThat(o.event()).isEqualTo(new ScalingDecided(Origin.AUTOSCALER, List.of(
                    new Vertex(A, 2L, 4, 1000.0, 1500.0), new Vertex(B, 2L, 5, null, null)), true));
        });
        // Published once: the same state against the new mark is nothing.
        assertThat(decide(state("12", A + ":4," + B + ":5"), reports(newest), t.mark()).observations()).isEmpty();
    }

    @Test
    void removedOverridesOrARemovedConfigMapOnlyMoveTheMarkAndNoStateLeavesItAsItIs() {
        LastPublished mark = LastPublished.NOTHING.withAutoscaler(new Autoscaled(A + ":4", 3_000L));

        Transition removed = decide(state("10", null), reports(), mark);
        assertThat(removed.observations()).isEmpty();
        assertThat(removed.mark().autoscaler()).isEqualTo(new Autoscaled(null, 3_000L));
        assertThat(decide(null, reports(), mark).mark().autoscaler()).isEqualTo(new Autoscaled(null, 3_000L));
        assertThat(decide(null, reports(), LastPublished.NOTHING).mark()).isEqualTo(LastPublished.NOTHING);
    }

    @Test
    void theMarkAnEarlierVersionKeptOnTheConfigMapIsTheStartWhenTheJobHasNone() {
        LastPublished legacy = LastPublished.NOTHING.withScale(new Scale(null, A + ":4"));
        var view = new AutoscalerStateView("uid-cm", "ns", "job", "uid-job", "7", A + ":4", legacy);

        Transition t = decide(view, reports(), LastPublished.NOTHING);

        assertThat(t.observations()).isEmpty();
        assertThat(t.mark().autoscaler()).isEqualTo(new Autoscaled(A + ":4", null));
    }

    @Test
    void theJobIsTheAppLabelElseTheNameAfterThePrefixItsOwnerTellsWhoseItIsAndOtherConfigMapsAreNotRead()
            throws Exception {
        ObjectMapper json = new ObjectMapper();
        AutoscalerStateView labelled = AutoscalerStateView.of(json.readTree("""
                {"metadata": {"name": "autoscaler-orders", "namespace": "ns", "uid": "u", "resourceVersion": "3",
                 "labels": {"app": "orders-v2", "component": "autoscaler"},
                 "ownerReferences": [{"kind": "FlinkDeployment", "name": "orders-v2", "uid": "job-uid"}]},
                 "data": {"parallelismOverrides": "%s:2", "collectedMetrics": "H4sI..."}}""".formatted(A)), null);
        assertThat(labelled).isEqualTo(new AutoscalerStateView("u", "ns", "orders-v2", "job-uid", "3", A + ":2", null));
        assertThat(labelled.belongsTo("job-uid", "ns", "orders-v2")).isTrue();
        assertThat(labelled.belongsTo("uid-of-a-new-job-of-that-name", "ns", "orders-v2")).isFalse();
        AutoscalerStateView unowned = AutoscalerStateView.of(json.readTree(
                "{\"metadata\": {\"name\": \"autoscaler-orders\", \"namespace\": \"ns\"}}"), null);
        assertThat(unowned.jobName()).isEqualTo("orders");
        assertThat(unowned.belongsTo("any", "ns", "orders")).isTrue();
        assertThat(AutoscalerStateView.of(json.readTree("{\"metadata\": {\"name\": \"flink-config-orders\"}}"), null))
                .isNull();
    }
}
