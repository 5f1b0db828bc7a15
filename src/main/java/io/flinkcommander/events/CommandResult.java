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
        return new CommandResult(bounded(command.id()), bounded(command.type()), outcome.name(), bounded(reason),
                bounded(errors), resourceVersion, generation, bounded(command.source()), rendered);
    }

    /**
     * Longest text copied from a command into its result, and most errors listed. A result must
     * fit in one Kafka record (about 1 MiB by default): a hostile command with a megabyte subject,
     * echoed in the key, a header and an error message, made a result that Kafka refused, so its
     * batch's transaction aborted and was retried forever, and no later command was answered.
     * Valid ids, types, sources and subjects are far shorter than this.
     */
    static final int MAX_ECHO = 1024;
    static final int MAX_ERRORS = 100;

    static String bounded(String text) {
        return text == null || text.length() <= MAX_ECHO ? text
                : text.substring(0, MAX_ECHO) + "...(" + (text.length() - MAX_ECHO) + " more characters)";
    }

    private static List<FieldError> bounded(List<FieldError> errors) {
        List<FieldError> kept = errors.stream().limit(MAX_ERRORS)
                .map(e -> FieldError.at(bounded(e.path()), bounded(e.message()))).toList();
        if (errors.size() <= MAX_ERRORS) {
            return kept;
        }
        List<FieldError> withNote = new java.util.ArrayList<>(kept);
        withNote.add(FieldError.at("data", "... and " + (errors.size() - MAX_ERRORS) + " more errors"));
        return withNote;
    }
}
