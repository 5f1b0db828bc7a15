package io.flinkcommander.observe;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the service reads from the operator autoscaler's state ConfigMap of a job,
 * {@code autoscaler-<job>} (labels {@code component: autoscaler}, {@code app: <job>}): the
 * {@value #PARALLELISM_OVERRIDES} it stores when it executes a scaling decision, in Flink's map
 * form {@code vid:n,vid:n}. The other keys (scaling history, collected metrics) change far more
 * often and are not read.
 *
 * @param jobName the FlinkDeployment it belongs to: label {@code app}, else the name without the prefix
 * @param overrides {@value #PARALLELISM_OVERRIDES}, null when absent
 */
public record AutoscalerStateView(String uid, String namespace, String jobName, String resourceVersion,
        String overrides) {

    public static final String NAME_PREFIX = "autoscaler-";
    public static final String COMPONENT_LABEL = "component";
    public static final String COMPONENT = "autoscaler";
    static final String PARALLELISM_OVERRIDES = "parallelismOverrides";

    public String subject() {
        return namespace + "/" + jobName;
    }

    /** The view, or null when the ConfigMap is not an autoscaler's state (the name does not fit). */
    public static AutoscalerStateView of(JsonNode configMap) {
        JsonNode metadata = configMap.path("metadata");
        String name = metadata.path("name").asText();
        if (!name.startsWith(NAME_PREFIX) || name.length() == NAME_PREFIX.length()) {
            return null;
        }
        String job = JobView.labels(configMap).getOrDefault("app", name.substring(NAME_PREFIX.length()));
        return new AutoscalerStateView(metadata.path("uid").asText(null), metadata.path("namespace").asText(), job,
                metadata.path("resourceVersion").asText(null),
                JobView.textOrNull(configMap.path("data").path(PARALLELISM_OVERRIDES)));
    }
}
