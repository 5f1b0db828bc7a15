package io.flinkcommander.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent;
import io.flinkcommander.events.ObservedEvent.JobStatusChanged;
import io.flinkcommander.events.ObservedEvent.LifecycleChanged;
import io.flinkcommander.events.ObservedEvent.OperatorEventRecorded;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Phase;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Reason;

/**
 * The net change between what was last published about a resource and what it says now. Pure:
 * the same view and mark always give the same events with the same ids, so a change observed
 * twice (a watch event redelivered, a new leader, a restart before the mark was written) is
 * published with the id consumers already saw.
 */
public final class Transitions {

    private Transitions() {
    }

    /** Lifecycle, job state and new legacy savepoints of a job since {@code mark}. */
    public static Transition ofJob(JobView job, LastPublished mark, Instant now) {
        List<Observation> out = new ArrayList<>();
        LastPublished next = mark;
        if (job.lifecycle() != null && !job.lifecycle().equals(mark.lifecycle())) {
            out.add(observation(job, LifecycleChanged.TYPE, now, new LifecycleChanged(mark.lifecycle(),
                    job.lifecycle(), job.jobState(), job.generation(), job.observedGeneration())));
            next = next.withLifecycle(job.lifecycle());
        }
        if (job.jobState() != null && !job.jobState().equals(mark.job())) {
            out.add(observation(job, JobStatusChanged.TYPE, now,
                    new JobStatusChanged(mark.job(), job.jobState(), job.jobId())));
            next = next.withJob(job.jobState());
        }
        long after = mark.savepoint() == null ? Long.MIN_VALUE : mark.savepoint();
        for (JobView.LegacySavepoint savepoint : job.savepoints()) {
            if (savepoint.timeStamp() > after) {
                String time = savepoint.time().toString();
                // Keyed by the savepoint's own time: the same savepoint has one id whatever the resource version.
                out.add(new Observation(job.uid() + "/savepoint/" + savepoint.timeStamp() + "/" + Phase.COMPLETED.type,
                        job.subject(), null, now, new SavepointRecorded(Phase.COMPLETED, null, "SAVEPOINT",
                                Objects.requireNonNullElse(savepoint.triggerType(), "UNKNOWN"), savepoint.formatType(),
                                // The legacy status has one time per savepoint (when it was taken): both timestamps.
                                savepoint.location(), time, time, null)));
                next = next.withSavepoint(savepoint.timeStamp());
            }
        }
        return new Transition(out, next);
    }

    /** The resource is gone: lifecycle to DELETED, from the last state published. */
    public static Transition ofDeletedJob(JobView job, LastPublished mark, Instant now) {
        String from = mark.lifecycle() != null ? mark.lifecycle() : job.lifecycle();
        if ("DELETED".equals(from)) {
            return new Transition(List.of(), mark);
        }
        return new Transition(List.of(new Observation(job.uid() + "/deleted/" + LifecycleChanged.TYPE, job.subject(),
                job.causationId(), now, new LifecycleChanged(from, "DELETED", job.jobState(), job.generation(),
                        job.observedGeneration()), job.causationTrace(), job.uid())), mark.withLifecycle("DELETED"));
    }

    /**
     * A snapshot's phase: TRIGGER_PENDING and IN_PROGRESS are TRIGGERED (published once),
     * COMPLETED, FAILED and ABANDONED are terminal. A snapshot first seen terminal (it finished
     * while nobody published) gets only its terminal event: the net change.
     */
    public static Transition ofSnapshot(SnapshotView snapshot, LastPublished mark, Instant now) {
        Phase phase = phaseOf(snapshot.state());
        if (phase == null || phase.name().equals(mark.snapshot())
                || (phase == Phase.TRIGGERED && mark.snapshot() != null)) {
            return new Transition(List.of(), mark);
        }
        SavepointRecorded event = new SavepointRecorded(phase, snapshot.name(), snapshot.kind(), snapshot.triggerType(),
                snapshot.formatType(), phase == Phase.COMPLETED ? snapshot.path() : null, snapshot.triggerTimestamp(),
                phase == Phase.TRIGGERED ? null : snapshot.resultTimestamp(),
                phase == Phase.FAILED ? Objects.requireNonNullElse(snapshot.error(), snapshot.state()) : null,
                phase == Phase.FAILED ? ("ABANDONED".equals(snapshot.state()) ? Reason.Abandoned : Reason.Failed) : null);
        return new Transition(List.of(new Observation(snapshot.uid() + "/" + phase.type, snapshot.subject(),
                snapshot.causationId(), now, event, snapshot.causationTrace())), mark.withSnapshot(phase.name()));
    }

    /** Each higher {@code count} of an operator Event is one more occurrence. */
    public static Transition ofOperatorEvent(OperatorEventView event, String subject, LastPublished mark,
            Instant now) {
        if (mark.count() != null && event.count() <= mark.count()) {
            return new Transition(List.of(), mark);
        }
        List<Observation> out = new ArrayList<>();
        out.add(new Observation(event.uid() + "/" + event.count() + "/" + OperatorEventRecorded.TYPE,
                subject, null, now, new OperatorEventRecorded(event.reason(), event.type(), event.message(),
                        event.count())));
        // An autoscaler ScalingReport is also a scaling decision, published with the same mark.
        out.addAll(ScalingDecisions.ofOperatorEvent(event, subject, now));
        return new Transition(out, mark.withCount(event.count()));
    }

    static Phase phaseOf(String state) {
        if (state == null) {
            return null;
        }
        return switch (state) {
            case "TRIGGER_PENDING", "IN_PROGRESS" -> Phase.TRIGGERED;
            case "COMPLETED" -> Phase.COMPLETED;
            case "FAILED", "ABANDONED" -> Phase.FAILED;
            default -> null;
        };
    }

    private static Observation observation(JobView job, String type, Instant now, ObservedEvent event) {
        return new Observation(job.uid() + "/" + job.resourceVersion() + "/" + type, job.subject(), job.causationId(),
                now, event, job.causationTrace(), job.uid());
    }
}
