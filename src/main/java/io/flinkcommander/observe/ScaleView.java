package io.flinkcommander.observe;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.command.TraceContext;
import io.flinkcommander.observe.LastPublished.Scale;

/**
 * What decides a job's parallelism in its spec, and the command behind the newest change.
 *
 * @param scale {@code spec.job.parallelism} and the vertex overrides in {@code flinkConfiguration}
 * @param commandId the newest id in {@code flink-commander.io/applied-commands}
 * @param commandType that command's type, null in entries written before types were remembered
 * @param trace that command's trace context, or null
 */
public record ScaleView(String uid, String subject, Scale scale, String commandId, String commandType,
        TraceContext trace) {

    static final String VERTEX_OVERRIDES = "pipeline.jobvertex-parallelism-overrides";

    public static ScaleView of(JsonNode resource) {
        JsonNode metadata = resource.path("metadata");
        JsonNode spec = resource.path("spec");
        NewestCommand newest = NewestCommand.of(resource);
        return new ScaleView(metadata.path("uid").asText(null),
                metadata.path("namespace").asText() + "/" + metadata.path("name").asText(),
                new Scale(JobView.longOrNull(spec.path("job").path("parallelism")),
                        JobView.textOrNull(spec.path("flinkConfiguration").path(VERTEX_OVERRIDES))),
                newest.id(), newest.type(), newest.trace());
    }
}
