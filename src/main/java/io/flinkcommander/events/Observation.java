package io.flinkcommander.events;

import java.time.Instant;

/**
 * One event about one job, with what makes it a CloudEvent: a deterministic {@code id} (the same
 * change observed twice gets the same id, so consumers can drop duplicates), the job as
 * {@code subject} ({@code <namespace>/<name>}), and the command that caused it, if known.
 */
public record Observation(String id, String subject, String causationId, Instant time, ObservedEvent event) {
}
