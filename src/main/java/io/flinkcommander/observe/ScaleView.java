package io.flinkcommander.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.observe.LastPublished.Scale;

/**
 * What decides a job's parallelism in its spec, and the command behind the newest change.
 *
 * @param scale {@code spec.job.parallelism} and the vertex overrides in {@code flinkConfiguration}
 * @param commandId the newest id in {@code flink-commander.io/applied-commands}
 * @param commandType that command's type, null in entries written before types were remembered
 */
public record ScaleView(String uid, String subject, Scale scale, String commandId, String commandType) {

    static final String VERTEX_OVERRIDES = "pipeline.jobvertex-parallelism-overrides";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ScaleView of(JsonNode resource) {
        JsonNode metadata = resource.path("metadata");
        JsonNode spec = resource.path("spec");
        JsonNode newest = newestCommand(metadata.path("annotations").path(JobView.APPLIED_COMMANDS));
        return new ScaleView(metadata.path("uid").asText(null),
                metadata.path("namespace").asText() + "/" + metadata.path("name").asText(),
                new Scale(JobView.longOrNull(spec.path("job").path("parallelism")),
                        JobView.textOrNull(spec.path("flinkConfiguration").path(VERTEX_OVERRIDES))),
                JobView.textOrNull(newest.path("id")), JobView.textOrNull(newest.path("type")));
    }

    private static JsonNode newestCommand(JsonNode annotation) {
        if (!annotation.isTextual()) {
            return JSON.missingNode();
        }
        try {
            JsonNode list = JSON.readTree(annotation.asText());
            return list.isArray() && list.size() > 0 ? list.get(list.size() - 1) : JSON.missingNode();
        } catch (JsonProcessingException e) {
            return JSON.missingNode();
        }
    }
}
