package io.flinkcommander.observe;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A core v1 Event the operator recorded on one of its resources. The operator keeps one Event
 * object per (resource, reason, message) and bumps {@code count} on repeats, so each new count is
 * a new occurrence.
 */
public record OperatorEventView(String uid, String namespace, String involvedKind, String involvedName,
        String reason, String type, String message, int count, LastPublished mark) {

    public static final Set<String> INVOLVED_KINDS = Set.of("FlinkDeployment", "FlinkSessionJob", "FlinkStateSnapshot");

    public static OperatorEventView of(JsonNode event, LastPublished mark) {
        JsonNode involved = event.path("involvedObject");
        JsonNode metadata = event.path("metadata");
        int count = event.path("count").canConvertToInt() ? Math.max(1, event.path("count").asInt()) : 1;
        String namespace = involved.hasNonNull("namespace") ? involved.path("namespace").asText()
                : metadata.path("namespace").asText();
        return new OperatorEventView(metadata.path("uid").asText(null), namespace, involved.path("kind").asText(),
                involved.path("name").asText(), JobView.textOrNull(event.path("reason")),
                JobView.textOrNull(event.path("type")), JobView.textOrNull(event.path("message")), count, mark);
    }

    /** When the Event last occurred (epoch ms): {@code lastTimestamp}, else {@code eventTime}, else its creation; null if none is readable. */
    public static Long time(JsonNode event) {
        for (JsonNode value : List.of(event.path("lastTimestamp"), event.path("eventTime"),
                event.path("metadata").path("creationTimestamp"))) {
            try {
                if (value.isTextual()) {
                    return java.time.OffsetDateTime.parse(value.asText()).toInstant().toEpochMilli();
                }
            } catch (java.time.format.DateTimeParseException e) {
                // the next one
            }
        }
        return null;
    }

    public boolean concernsFlink() {
        return INVOLVED_KINDS.contains(involvedKind);
    }
}
