package io.flinkcommander.command;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A command as read off the wire: the CloudEvent context attributes we use, and its data,
 * not yet validated. Mode (structured or binary) is already gone at this point.
 *
 * @param id          the command id, also the idempotency key
 * @param subject     {@code <namespace>/<name>} of the target, or null when absent
 * @param dryRun      the {@code dryrun} extension
 * @param trace       W3C trace context to carry into results and the events the command causes, or
 *                    null when it had none (or an invalid one)
 * @param data        the event data as JSON, or null when the event had none or it was unreadable
 * @param dataError   why the data could not be read as JSON, or null
 */
public record CommandEnvelope(
        String id,
        String type,
        String source,
        String subject,
        String time,
        boolean dryRun,
        TraceContext trace,
        JsonNode data,
        String dataError) {
}
