package io.flinkcommander.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.flinkcommander.events.ObservedEvent.ScalingDecided;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Origin;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Vertex;
import io.flinkcommander.observe.LastPublished.Scale;

class ScalingReportTest {

    static final String A = "bc764cd8ddf7a0cff126f51c16239658";
    static final String B = "0a448493b4782967b150582570326227";

    @Test
    void enabledReportIsAnAppliedDecisionWithEveryVertexAndItsRates() {
        String message = "Scaling execution enabled, begin scaling vertices:"
                + "{ Vertex ID " + A + " | Parallelism 2 -> 4 | Processing capacity 5210.50 -> 10421.00 | Target data rate 9800.00}"
                + "{ Vertex ID " + B + " | Parallelism 3 -> 1 | Processing capacity 800.00 -> 266.67 | Target data rate 120.25}";

        assertThat(ScalingReport.parse(message)).contains(new ScalingDecided(Origin.AUTOSCALER, List.of(
                new Vertex(A, 2L, 4, 5210.5, 9800.0), new Vertex(B, 3L, 1, 800.0, 120.25)), true));
    }

    @Test
    void disabledReportIsARecommendationOnly() {
        String message = "Scaling execution disabled by config job.autoscaler.scaling.enabled:false, recommended "
                + "parallelism change:\n{ Vertex ID " + A + " | Parallelism 2 -> 4 | Processing capacity 1.00 -> 2.00 | Target data rate 3.00}";

        assertThat(ScalingReport.parse(message).orElseThrow().applied()).isFalse();
    }

    @Test
    void decimalCommasUpperCaseIdsExtraSpacesAndNonFiniteRatesAreRead() {
        String message = "Scaling execution enabled, begin scaling vertices:\n"
                + "{  Vertex ID  " + A.toUpperCase() + "  |  Parallelism 2->4 | Processing capacity NaN -> 2,50 | Target data rate 9800,75 }";

        assertThat(ScalingReport.parse(message).orElseThrow().vertices())
                .containsExactly(new Vertex(A, 2L, 4, null, 9800.75));
    }

    @Test
    void aMessageWithoutAReadableVertexDecidesNothing() {
        assertThat(ScalingReport.parse("Scaling execution enabled, begin scaling vertices:")).isEmpty();
        assertThat(ScalingReport.parse(null)).isEmpty();
        assertThat(ScalingReport.parse("{ Vertex ID xyz | Parallelism 2 -> 4 }")).isEmpty();
    }

    @Test
    void firstSightOfAJobAndChangesByOtherCommandsOnlyMoveTheMark() {
        var job = new ScaleView("u", "ns/job", new Scale(4L, null), "c1", "flink.job.upgrade", null);
        assertThat(ScalingDecisions.ofJob(job, LastPublished.NOTHING, java.time.Instant.EPOCH).observations()).isEmpty();
        var changed = ScalingDecisions.ofJob(job, LastPublished.NOTHING.withScale(new Scale(2L, null)), java.time.Instant.EPOCH);
        assertThat(changed.observations()).isEmpty();
        assertThat(changed.mark().scale()).isEqualTo(new Scale(4L, null));
    }
}
