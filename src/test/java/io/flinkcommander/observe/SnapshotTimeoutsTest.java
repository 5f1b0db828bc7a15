package io.flinkcommander.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Phase;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Reason;

class SnapshotTimeoutsTest {

    static final Instant TRIGGERED = Instant.parse("2026-11-20T10:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(30);
    static final LastPublished TRIGGERED_MARK = LastPublished.NOTHING.withSnapshot("TRIGGERED");

    static SnapshotView snapshot(String state, String causationId) {
        return new SnapshotView("ns", "job-savepoint-c1", "uid-s", "job", "SAVEPOINT", "MANUAL", "NATIVE", state, null,
                TRIGGERED.toString(), null, null, causationId, null, LastPublished.NOTHING);
    }

    @Test
    void aCommandsSnapshotStillInProgressAfterTheTimeoutFailsOnceWithReasonTimeout() {
        Instant now = TRIGGERED.plus(TIMEOUT);

        Transition t = SnapshotTimeouts.of(snapshot("IN_PROGRESS", "c1"), TRIGGERED_MARK, now, TIMEOUT);

        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.id()).isEqualTo("uid-s/timeout/flink.savepoint.failed");
            assertThat(o.subject()).isEqualTo("ns/job");
            assertThat(o.causationId()).isEqualTo("c1");
            assertThat(o.event()).isEqualTo(new SavepointRecorded(Phase.FAILED, "job-savepoint-c1", "SAVEPOINT",
                    "MANUAL", "NATIVE", null, TRIGGERED.toString(), now.toString(),
                    "not completed within PT30M of 2026-11-20T10:00:00Z (state IN_PROGRESS)", Reason.Timeout));
        });
        assertThat(t.mark().snapshot()).isEqualTo("FAILED");
        assertThat(SnapshotTimeouts.of(snapshot("IN_PROGRESS", "c1"), t.mark(), now.plusSeconds(60), TIMEOUT)
                .observations()).as("once: the mark says FAILED").isEmpty();
    }

    @Test
    void aSnapshotWithoutStatusTimesOutFromItsCreation() {
        Transition t = SnapshotTimeouts.of(snapshot(null, "c1"), LastPublished.NOTHING, TRIGGERED.plus(TIMEOUT), TIMEOUT);

        assertThat(t.observations()).extracting(o -> ((SavepointRecorded) o.event()).error())
                .containsExactly("not completed within PT30M of 2026-11-20T10:00:00Z (state none)");
    }

    @Test
    void nothingBeforeTheTimeoutNorForTerminalSnapshotsNorForSnapshotsNoCommandAskedFor() {
        Instant late = TRIGGERED.plus(TIMEOUT).plusSeconds(1);
        assertThat(SnapshotTimeouts.of(snapshot("IN_PROGRESS", "c1"), TRIGGERED_MARK, late.minusSeconds(2), TIMEOUT)
                .observations()).isEmpty();
        for (String terminal : new String[] {"COMPLETED", "FAILED", "ABANDONED"}) {
            assertThat(SnapshotTimeouts.of(snapshot(terminal, "c1"), TRIGGERED_MARK, late, TIMEOUT).observations())
                    .as(terminal).isEmpty();
        }
        assertThat(SnapshotTimeouts.of(snapshot("IN_PROGRESS", null), TRIGGERED_MARK, late, TIMEOUT).observations())
                .as("periodic and upgrade snapshots are the operator's").isEmpty();
        assertThat(SnapshotTimeouts.of(snapshot("IN_PROGRESS", "c1"), LastPublished.NOTHING.withSnapshot("COMPLETED"),
                late, TIMEOUT).observations()).isEmpty();
    }

    @Test
    void operatorFailuresSayWhetherTheTriggerFailedOrTheSnapshotWasAbandoned() {
        assertThat(reasonOf(Transitions.ofSnapshot(snapshot("FAILED", "c1"), TRIGGERED_MARK, TRIGGERED)))
                .isEqualTo(Reason.Failed);
        assertThat(reasonOf(Transitions.ofSnapshot(snapshot("ABANDONED", "c1"), TRIGGERED_MARK, TRIGGERED)))
                .isEqualTo(Reason.Abandoned);
    }

    private static Reason reasonOf(Transition t) {
        Observation only = t.observations().get(0);
        return ((SavepointRecorded) only.event()).reason();
    }
}
