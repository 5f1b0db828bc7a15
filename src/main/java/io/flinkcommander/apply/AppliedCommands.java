package io.flinkcommander.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.command.TraceContext;

/**
 * The ids of the last commands applied to a resource, kept on the resource itself in one
 * annotation. Written in the same update as the change a command makes, so "changed" and
 * "remembered" can never disagree, even across a crash: a replay finds its id and does nothing.
 * Bounded, oldest first out.
 */
final class AppliedCommands {

    static final String ANNOTATION = io.flinkcommander.command.CommandParser.RESERVED_PREFIX + "applied-commands";
    private static final TypeReference<List<Entry>> ENTRIES = new TypeReference<>() {
    };

    /**
     * {@code type} (the command's CloudEvent type) is absent in entries written before it was added;
     * {@code traceparent}/{@code tracestate} only when the command carried a trace context, so that
     * the events the change causes carry it too.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Entry(String id, String record, String type, String traceparent, String tracestate) {
    }

    private final List<Entry> entries;

    private AppliedCommands(List<Entry> entries) {
        this.entries = entries;
    }

    static AppliedCommands parse(ObjectMapper json, String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return new AppliedCommands(List.of());
        }
        try {
            return new AppliedCommands(json.readValue(annotation, ENTRIES));
        } catch (JsonProcessingException e) {
            // Someone edited the annotation by hand: forget it rather than refuse every command.
            return new AppliedCommands(List.of());
        }
    }

    Optional<Entry> find(String commandId) {
        return entries.stream().filter(e -> e.id().equals(commandId)).findFirst();
    }

    /** Who applied a change: the command id and the record that carried it. */
    record Origin(String commandId, String recordPosition, String commandType, TraceContext trace) {
    }

    String with(ObjectMapper json, Origin origin, int keep) {
        List<Entry> next = new ArrayList<>(entries);
        TraceContext trace = origin.trace();
        next.add(new Entry(origin.commandId(), origin.recordPosition(), origin.commandType(),
                trace == null ? null : trace.traceparent(), trace == null ? null : trace.tracestate()));
        List<Entry> kept = next.subList(Math.max(0, next.size() - keep), next.size());
        try {
            return json.writeValueAsString(kept);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write applied command ids", e);
        }
    }
}
