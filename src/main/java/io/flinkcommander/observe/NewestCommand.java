package io.flinkcommander.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.command.TraceContext;

/**
 * The newest entry of a resource's {@code flink-commander.io/applied-commands} annotation (a JSON
 * list of {@code {id, record, type?, traceparent?, tracestate?}}, oldest first): the command behind
 * the resource's current spec, which the events about it name as their cause.
 *
 * @param id    null when no command of ours touched the resource
 * @param type  null in entries written before types were remembered
 * @param trace null when the command carried no trace context
 */
record NewestCommand(String id, String type, TraceContext trace) {

    static final NewestCommand NONE = new NewestCommand(null, null, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    static NewestCommand of(JsonNode resource) {
        JsonNode annotation = resource.path("metadata").path("annotations").path(JobView.APPLIED_COMMANDS);
        if (!annotation.isTextual()) {
            return NONE;
        }
        try {
            JsonNode list = JSON.readTree(annotation.asText());
            if (!list.isArray() || list.isEmpty()) {
                return NONE;
            }
            JsonNode newest = list.get(list.size() - 1);
            return new NewestCommand(JobView.textOrNull(newest.path("id")), JobView.textOrNull(newest.path("type")),
                    TraceContext.of(JobView.textOrNull(newest.path("traceparent")),
                            JobView.textOrNull(newest.path("tracestate"))));
        } catch (JsonProcessingException e) {
            return NONE;
        }
    }
}
