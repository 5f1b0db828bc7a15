package io.flinkcommander.observe;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.command.TraceContext;

/**
 * What the service reads from a FlinkStateSnapshot.
 *
 * @param jobName the job it references ({@code spec.jobReference.name}): the events' subject
 * @param kind SAVEPOINT or CHECKPOINT, from the spec
 * @param triggerType the operator's label {@code snapshot.trigger-type}, UNKNOWN without it
 * @param causationId the command that created it (its applied-commands annotation), if any
 * @param causationTrace that command's W3C trace context, or null
 * @param triggerTimestamp {@code status.triggerTimestamp}; before the operator triggered it (TRIGGER_PENDING),
 *        when it was asked for: the resource's {@code creationTimestamp}
 */
public record SnapshotView(String namespace, String name, String uid, String jobName, String kind,
        String triggerType, String formatType, String state, String path, String triggerTimestamp,
        String resultTimestamp, String error, String causationId, TraceContext causationTrace, LastPublished mark) {

    static final String TRIGGER_TYPE_LABEL = "snapshot.trigger-type";

    public String subject() {
        return namespace + "/" + jobName;
    }

    public static SnapshotView of(JsonNode resource, LastPublished mark) {
        JsonNode metadata = resource.path("metadata");
        JsonNode spec = resource.path("spec");
        JsonNode status = resource.path("status");
        boolean checkpoint = spec.path("checkpoint").isObject() && !spec.path("savepoint").isObject();
        String trigger = JobView.labels(resource).getOrDefault(TRIGGER_TYPE_LABEL, "UNKNOWN");
        NewestCommand cause = NewestCommand.of(resource);
        String formatType = checkpoint ? null : JobView.textOrNull(spec.path("savepoint").path("formatType"));
        return new SnapshotView(metadata.path("namespace").asText(), metadata.path("name").asText(),
                metadata.path("uid").asText(null), spec.path("jobReference").path("name").asText(),
                checkpoint ? "CHECKPOINT" : "SAVEPOINT", trigger, formatType, JobView.textOrNull(status.path("state")),
                JobView.textOrNull(status.path("path")),
                java.util.Objects.requireNonNullElse(JobView.textOrNull(status.path("triggerTimestamp")),
                        JobView.textOrNull(metadata.path("creationTimestamp"))),
                JobView.textOrNull(status.path("resultTimestamp")), JobView.textOrNull(status.path("error")),
                cause.id(), cause.trace(), mark);
    }
}
