package io.flinkcommander.apply;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Quantity;
import io.flinkcommander.command.FieldError;

import org.apache.flink.configuration.MemorySize;

/**
 * What the CRD schema cannot say but Flink and the operator will insist on, checked on the spec
 * about to be written: sizes and durations Flink can parse, a job a session job can run, a jar
 * URI that is a URI. Paths are resource paths ({@code spec.job.jarURI}).
 */
final class SpecRules {

    static final String VERTEX_OVERRIDES = "pipeline.jobvertex-parallelism-overrides";

    private final FlinkOptions options = new FlinkOptions();

    List<FieldError> check(FlinkKind<?> kind, JsonNode spec) {
        List<FieldError> errors = new ArrayList<>();
        checkMemory(spec.path("jobManager").path("resource").path("memory"), "spec.jobManager.resource.memory", errors);
        checkMemory(spec.path("taskManager").path("resource").path("memory"), "spec.taskManager.resource.memory",
                errors);
        JsonNode job = spec.path("job");
        if (job.isObject()) {
            if (job.path("parallelism").isIntegralNumber() && job.path("parallelism").longValue() < 1) {
                errors.add(FieldError.at("spec.job.parallelism", "must be at least 1"));
            }
            if (kind == FlinkKind.SESSION_JOB && "last-state".equals(job.path("upgradeMode").asText())) {
                errors.add(FieldError.at("spec.job.upgradeMode", "last-state is not supported for session jobs"));
            }
            checkJarUri(job.path("jarURI"), errors);
        }
        JsonNode configuration = spec.path("flinkConfiguration");
        if (!configuration.isMissingNode() && !configuration.isNull() && !configuration.isObject()) {
            // The generated model types it as "any", so an array or a string got through.
            errors.add(FieldError.at("spec.flinkConfiguration", "must be an object of strings"));
        }
        Iterator<Map.Entry<String, JsonNode>> config = configuration.fields();
        while (config.hasNext()) {
            Map.Entry<String, JsonNode> entry = config.next();
            String key = entry.getKey();
            String path = "spec.flinkConfiguration." + key;
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                errors.add(FieldError.at(path, "must be a string"));
                continue;
            }
            String value = entry.getValue().asText();
            if (key.equals(VERTEX_OVERRIDES)) {
                checkVertexOverrides(value, path, errors);
            }
            options.problem(key, value).ifPresent(problem -> errors.add(FieldError.at(path, Redaction.isSecretKey(key)
                    ? "is not a value Flink can read for this key"
                    : "'" + value + "' is not a value Flink can read: " + problem)));
        }
        return errors;
    }

    /** Flink's syntax (2048m, 2g) or a Kubernetes quantity (2Gi), as the operator accepts both. */
    private static void checkMemory(JsonNode memory, String path, List<FieldError> errors) {
        if (!memory.isTextual()) {
            return;
        }
        try {
            MemorySize.parse(memory.asText());
        } catch (IllegalArgumentException notFlinkSyntax) {
            try {
                Quantity.getAmountInBytes(new Quantity(memory.asText()));
            } catch (IllegalArgumentException | ArithmeticException notAQuantity) {
                errors.add(FieldError.at(path, "'" + memory.asText() + "' is not a memory size, such as 2048m or 2g"));
            }
        }
    }

    private static void checkJarUri(JsonNode jarUri, List<FieldError> errors) {
        if (!jarUri.isTextual()) {
            return;
        }
        try {
            URI uri = new URI(jarUri.asText());
            if (uri.getScheme() == null) {
                errors.add(FieldError.at("spec.job.jarURI", "needs a scheme, such as local:///opt/flink/usrlib/job.jar"));
            } else if (uri.getPath() != null && List.of(uri.getPath().split("/")).contains("..")) {
                errors.add(FieldError.at("spec.job.jarURI", "must not contain '..' path segments"));
            }
        } catch (URISyntaxException e) {
            errors.add(FieldError.at("spec.job.jarURI", "is not a URI: " + e.getReason()));
        }
    }

    /** {@code <vertex id>:<parallelism>,...}, the format Flink reads the overrides in. */
    private static void checkVertexOverrides(String value, String path, List<FieldError> errors) {
        for (String entry : value.split(",")) {
            String[] parts = entry.trim().split(":");
            boolean valid = parts.length == 2 && parts[0].matches("[0-9a-f]{32}") && parts[1].matches("[1-9][0-9]*");
            if (!valid) {
                errors.add(FieldError.at(path, "'" + entry.trim() + "' is not <vertex id>:<parallelism>"));
                return;
            }
        }
    }
}
