package io.flinkcommander.events;

import java.time.Instant;

import io.flinkcommander.command.TraceContext;

/**
 * One event about one job, with what makes it a CloudEvent: a deterministic {@code id} (the same
 * change observed twice gets the same id, so consumers can drop duplicates), the job as
 * {@code subject} ({@code <namespace>/<name>}), and the command that caused it, if known, with that
 * command's trace context.
 *
 * @param resourceUid the uid of the job resource the event is about, published as the extension
 *        {@code resourceuid} on lifecycle and job-status events (it tells a deleted-and-re-created
 *        job from the one before); null for events about other resources
 */
public record Observation(String id, String subject, String causationId, Instant time, ObservedEvent event,
        TraceContext trace, String resourceUid) {

    public Observation(String id, String subject, String causationId, Instant time, ObservedEvent event,
            TraceContext trace) {
        this(id, subject, causationId, time, event, trace, null);
    }

    /** An event no command of ours caused (or whose cause carried no trace context). */
    public Observation(String id, String subject, String causationId, Instant time, ObservedEvent event) {
        this(id, subject, causationId, time, event, null);
    }
}
