package io.flinkcommander.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.JobStatusChanged;
import io.flinkcommander.events.ObservedEvent.LifecycleChanged;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded;

class TransitionsTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    static JobView job(String rv, String lifecycle, String jobState, List<JobView.LegacySavepoint> savepoints) {
        return new JobView("FlinkDeployment", "ns", "job", "uid-1", rv, 2L, 2L, lifecycle, jobState, "j1", 2L, "cmd-1", null,
                savepoints, LastPublished.NOTHING);
    }

    static SnapshotView snapshot(String state) {
        return new SnapshotView("ns", "job-savepoint-1", "uid-s", "job", "SAVEPOINT", "MANUAL", null, state,
                "COMPLETED".equals(state) ? "s3://sp/1" : null, "t1", "t2", null, "cmd-2", null, LastPublished.NOTHING);
    }

    @Test
    void aRestartPublishesOnlyTheNetChangeSinceTheMark() {
        LastPublished mark = new LastPublished("STABLE", "RUNNING", null, null, null);

        Transition t = Transitions.ofJob(job("9", "SUSPENDED", "FINISHED", List.of()), mark, NOW);

        assertThat(t.observations()).extracting(Observation::event).containsExactly(
                new LifecycleChanged("STABLE", "SUSPENDED", "FINISHED", 2L, 2L),
                new JobStatusChanged("RUNNING", "FINISHED", "j1"));
        assertThat(t.mark()).isEqualTo(new LastPublished("SUSPENDED", "FINISHED", null, null, null));
    }

    @Test
    void nothingChangedPublishesNothing() {
        LastPublished mark = new LastPublished("STABLE", "RUNNING", null, null, null);

        assertThat(Transitions.ofJob(job("10", "STABLE", "RUNNING", List.of()), mark, NOW).observations()).isEmpty();
    }

    @Test
    void theSameChangeSeenTwiceHasTheSameId() {
        Transition once = Transitions.ofJob(job("7", "STABLE", "RUNNING", List.of()), LastPublished.NOTHING, NOW);
        Transition again = Transitions.ofJob(job("7", "STABLE", "RUNNING", List.of()), LastPublished.NOTHING,
                NOW.plusSeconds(5));

        List<String> ids = again.observations().stream().map(Observation::id).toList();
        assertThat(ids).isEqualTo(once.observations().stream().map(Observation::id).toList());
        assertThat(ids.get(0)).isEqualTo("uid-1/7/flink.job.lifecycle-changed");
    }

    @Test
    void legacySavepointsNewerThanTheMarkAreCompletedOnceEach() {
        var older = new JobView.LegacySavepoint(1_000, "s3://sp/a", "PERIODIC", "CANONICAL");
        var newer = new JobView.LegacySavepoint(2_000, "s3://sp/b", null, null);
        LastPublished mark = new LastPublished("STABLE", "RUNNING", 1_000L, null, null);

        Transition t = Transitions.ofJob(job("8", "STABLE", "RUNNING", List.of(older, newer)), mark, NOW);

        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.event()).isEqualTo(new SavepointRecorded(SavepointRecorded.Phase.COMPLETED, null, "SAVEPOINT",
                    "UNKNOWN", null, "s3://sp/b", "1970-01-01T00:00:02Z", "1970-01-01T00:00:02Z", null));
            assertThat(o.id()).isEqualTo("uid-1/savepoint/2000/flink.savepoint.completed");
        });
        assertThat(t.mark().savepoint()).isEqualTo(2_000L);
    }

    @Test
    void deletionGoesToDeletedFromTheLastPublishedState() {
        LastPublished mark = new LastPublished("SUSPENDED", "FINISHED", null, null, null);

        Transition t = Transitions.ofDeletedJob(job("11", "SUSPENDED", "FINISHED", List.of()), mark, NOW);

        assertThat(t.observations()).extracting(Observation::event)
                .containsExactly(new LifecycleChanged("SUSPENDED", "DELETED", "FINISHED", 2L, 2L));
    }

    @Test
    void aSnapshotIsTriggeredOnceThenCompleted() {
        Transition pending = Transitions.ofSnapshot(snapshot("TRIGGER_PENDING"), LastPublished.NOTHING, NOW);
        Transition inProgress = Transitions.ofSnapshot(snapshot("IN_PROGRESS"), pending.mark(), NOW);
        Transition completed = Transitions.ofSnapshot(snapshot("COMPLETED"), inProgress.mark(), NOW);

        assertThat(pending.observations()).extracting(o -> o.event().eventType())
                .containsExactly("flink.savepoint.triggered");
        assertThat(inProgress.observations()).isEmpty();
        assertThat(completed.observations()).singleElement().satisfies(o -> {
            assertThat(o.event().eventType()).isEqualTo("flink.savepoint.completed");
            assertThat(o.subject()).isEqualTo("ns/job");
            assertThat(o.causationId()).isEqualTo("cmd-2");
            assertThat(((SavepointRecorded) o.event()).path()).isEqualTo("s3://sp/1");
        });
    }

    @Test
    void anAbandonedSnapshotFailsWithItsState() {
        Transition t = Transitions.ofSnapshot(snapshot("ABANDONED"),
                new LastPublished(null, null, null, "TRIGGERED", null), NOW);

        assertThat(t.observations()).singleElement()
                .satisfies(o -> assertThat(((SavepointRecorded) o.event()).error()).isEqualTo("ABANDONED"));
    }

    @Test
    void anOperatorEventIsPublishedAgainOnlyWithAHigherCount() {
        var event = new OperatorEventView("e1", "ns", "FlinkDeployment", "job", "SavepointError", "Warning", "boom", 3,
                LastPublished.NOTHING);

        assertThat(Transitions.ofOperatorEvent(event, "ns/job", new LastPublished(null, null, null, null, 3), NOW)
                .observations()).isEmpty();
        assertThat(Transitions.ofOperatorEvent(event, "ns/job", new LastPublished(null, null, null, null, 2), NOW)
                .observations()).extracting(Observation::id).containsExactly("e1/3/flink.job.operator-event");
    }
}
