package io.flinkcommander.apply;

import io.flinkcommander.command.TraceContext;

/**
 * What the applier needs to know about a command besides what it asks.
 *
 * @param commandId      the idempotency key
 * @param recordPosition {@code topic-partition@offset} of the record that carried it: tells a
 *                       redelivery of the same record (after an aborted transaction: answer as the
 *                       first time) from a second record with the same id (DUPLICATE)
 * @param dryRun         validate and render only
 * @param commandType    the command's CloudEvent type, remembered with its id so that the observer
 *                       can tell what kind of command caused a change (e.g. a scale); may be null
 * @param trace          the command's W3C trace context, remembered with its id so that the events the
 *                       change causes carry it; may be null
 */
public record CommandContext(String commandId, String recordPosition, boolean dryRun, String commandType,
        TraceContext trace) {

    public CommandContext(String commandId, String recordPosition, boolean dryRun) {
        this(commandId, recordPosition, dryRun, null, null);
    }
}
