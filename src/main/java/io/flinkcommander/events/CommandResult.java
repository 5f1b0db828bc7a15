package io.flinkcommander.events;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.command.FieldError;

/** The {@code data} of a {@code flink.command.result} event, as in kafka-topics/ and contract.md. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CommandResult(
        String commandId,
        String commandType,
        String outcome,
        String reason,
        List<FieldError> errors,
        String resourceVersion,
        Long generation,
        String source,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode rendered) {

    static CommandResult of(CommandEnvelope command, Outcome outcome) {
        String reason = null;
        List<FieldError> errors = List.of();
        String resourceVersion = null;
        Long generation = null;
        JsonNode rendered = null;
        if (outcome instanceof Outcome.Applied applied) {
            reason = applied.note();
            resourceVersion = applied.resourceVersion();
            generation = applied.generation();
        } else if (outcome instanceof Outcome.Duplicate duplicate) {
            reason = "this command id was applied before; nothing changed";
            resourceVersion = duplicate.resourceVersion();
            generation = duplicate.generation();
        } else if (outcome instanceof Outcome.Rejected rejected) {
            reason = rejected.reason();
            errors = rejected.errors();
        } else if (outcome instanceof Outcome.Failed failed) {
            reason = failed.reason();
        } else if (outcome instanceof Outcome.Unavailable unavailable) {
            reason = unavailable.reason();
        } else if (outcome instanceof Outcome.DryRun dryRun) {
            rendered = dryRun.rendered();
        }
        return new CommandResult(command.id(), command.type(), outcome.name(), reason, errors, resourceVersion,
                generation, command.source(), rendered);
    }
}
