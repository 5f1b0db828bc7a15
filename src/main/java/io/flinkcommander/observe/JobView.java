package io.flinkcommander.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.command.TraceContext;

/**
 * What the service reads from a FlinkDeployment or FlinkSessionJob, free of client types.
 *
 * @param causationId the newest command id in {@code flink-commander.io/applied-commands}: the
 *        command whose change led to the current generation (the service writes the id together
 *        with the change), or null when no command of ours touched the resource
 * @param causationTrace that command's W3C trace context, or null
 * @param savepoints the legacy {@code savepointInfo} history and last savepoint, oldest first
 * @param mark the {@link LastPublished} annotation as stored on the resource
 */
public record JobView(String kind, String namespace, String name, String uid, String resourceVersion,
        Long generation, Long observedGeneration, String lifecycle, String jobState, String jobId, Long parallelism,
        String causationId, TraceContext causationTrace, List<LegacySavepoint> savepoints, LastPublished mark) {

    static final String APPLIED_COMMANDS = "flink-commander.io/applied-commands";

    /** One entry of {@code status.jobStatus.savepointInfo}: always completed. */
    public record LegacySavepoint(long timeStamp, String location, String triggerType, String formatType) {
        public Instant time() {
            return Instant.ofEpochMilli(timeStamp);
        }
    }

    public String subject() {
        return namespace + "/" + name;
    }

    /** Reads a job resource given as JSON (the CRD's wire form). */
    public static JobView of(String kind, JsonNode resource, LastPublished mark) {
        JsonNode metadata = resource.path("metadata");
        JsonNode status = resource.path("status");
        JsonNode jobStatus = status.path("jobStatus");
        List<LegacySavepoint> savepoints = new ArrayList<>();
        JsonNode info = jobStatus.path("savepointInfo");
        for (JsonNode entry : info.path("savepointHistory")) {
            legacy(entry, savepoints);
        }
        legacy(info.path("lastSavepoint"), savepoints);
        NewestCommand cause = NewestCommand.of(resource);
        List<LegacySavepoint> distinct = savepoints.stream().distinct()
                .sorted(Comparator.comparingLong(LegacySavepoint::timeStamp)).toList();
        return new JobView(kind, metadata.path("namespace").asText(), metadata.path("name").asText(),
                metadata.path("uid").asText(null), metadata.path("resourceVersion").asText(null),
                longOrNull(metadata.path("generation")), longOrNull(status.path("observedGeneration")),
                textOrNull(status.path("lifecycleState")), textOrNull(jobStatus.path("state")),
                textOrNull(jobStatus.path("jobId")), longOrNull(resource.path("spec").path("job").path("parallelism")),
                cause.id(), cause.trace(), distinct, mark);
    }

    static String annotation(JsonNode resource, String name) {
        JsonNode value = resource.path("metadata").path("annotations").path(name);
        return value.isTextual() ? value.asText() : null;
    }

    private static void legacy(JsonNode entry, List<LegacySavepoint> into) {
        if (entry.path("timeStamp").canConvertToLong() && entry.hasNonNull("location")) {
            into.add(new LegacySavepoint(entry.path("timeStamp").asLong(), entry.path("location").asText(),
                    textOrNull(entry.path("triggerType")), textOrNull(entry.path("formatType"))));
        }
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    static Long longOrNull(JsonNode node) {
        return node != null && node.canConvertToLong() && !node.isTextual() ? node.asLong() : null;
    }

    static Map<String, String> labels(JsonNode resource) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        resource.path("metadata").path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }
}
