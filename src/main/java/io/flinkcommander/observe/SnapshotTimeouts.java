package io.flinkcommander.observe;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Phase;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Reason;
import io.quarkus.scheduler.Scheduled;

/**
 * Savepoints and checkpoints that a command asked for and that never end: the operator retries a
 * failing trigger without limit by default, and a snapshot nobody reconciles (operator down) stays
 * without status. Such a snapshot gets one {@code flink.savepoint.failed} with reason Timeout once
 * it is {@code commander.snapshots.timeout} past its {@code triggerTimestamp} (before the operator
 * triggered it: its {@code creationTimestamp}).
 *
 * <p>Nothing is remembered here: {@link #of} is pure and decides from the snapshot and its
 * last-published mark alone, and the mark becomes FAILED like for any failure. So the timeout is
 * published once (the mark), by the leader only (the observer publishes only while leading), and
 * also after a restart or handover (the times are on the resource). The scheduled check only asks
 * the observer to look at its pending snapshots again, on the observer's own thread.
 *
 * <p>A snapshot that completes after its timeout is still published as completed (it exists and
 * belongs in the catalog); one that the operator fails afterwards is not published again.
 * Snapshots the operator creates itself (periodic, upgrade) are its own business and never time out.
 */
@ApplicationScoped
public class SnapshotTimeouts {

    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "ABANDONED");

    private final ResourceObserver observer;

    public SnapshotTimeouts(ResourceObserver observer) {
        this.observer = observer;
    }

    @Scheduled(every = "${" + io.flinkcommander.config.CommanderConfig.Snapshots.TIMEOUT_CHECK + ":30s}",
            delayed = "${" + io.flinkcommander.config.CommanderConfig.Snapshots.TIMEOUT_CHECK + ":30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        if (observer.leading()) {
            observer.recheckSnapshots();
        }
    }

    /** A failed record with reason Timeout if this snapshot is overdue and nothing final was published about it. */
    public static Transition of(SnapshotView snapshot, LastPublished mark, Instant now, Duration timeout) {
        Instant since = instant(snapshot.triggerTimestamp());
        if (snapshot.causationId() == null || since == null || !pending(snapshot)
                || Phase.FAILED.name().equals(mark.snapshot()) || Phase.COMPLETED.name().equals(mark.snapshot())
                || now.isBefore(since.plus(timeout))) {
            return new Transition(List.of(), mark);
        }
        String error = "not completed within " + timeout + " of " + snapshot.triggerTimestamp() + " (state "
                + (snapshot.state() == null ? "none" : snapshot.state()) + ")";
        SavepointRecorded event = new SavepointRecorded(Phase.FAILED, snapshot.name(), snapshot.kind(),
                snapshot.triggerType(), snapshot.formatType(), null, snapshot.triggerTimestamp(), now.toString(), error,
                Reason.Timeout);
        return new Transition(List.of(new Observation(snapshot.uid() + "/timeout/" + Phase.FAILED.type,
                snapshot.subject(), snapshot.causationId(), now, event)), mark.withSnapshot(Phase.FAILED.name()));
    }

    static boolean pending(SnapshotView snapshot) {
        return snapshot.state() == null || !TERMINAL.contains(snapshot.state()); // Set.of refuses null
    }

    private static Instant instant(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
