package io.flinkcommander.observe;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the service reads from the operator autoscaler's state ConfigMap of a job,
 * {@code autoscaler-<job>} (labels {@code component: autoscaler}, {@code app: <job>}, owned by the
 * job): the {@value #PARALLELISM_OVERRIDES} it stores when it executes a scaling decision, in Flink's
 * map form {@code vid:n,vid:n}, every vertex of the job (the unchanged ones at their current
 * parallelism). The other keys (scaling history, collected metrics) change far more often and are
 * not read. The service never writes this ConfigMap: the autoscaler updates it with resourceVersion.
 *
 * @param jobName the job it belongs to: label {@code app}, else the name without the prefix
 * @param ownerUid the uid of its first owner (the job), null when it has none
 * @param overrides {@value #PARALLELISM_OVERRIDES}, null when absent
 * @param legacyMark the last-published mark earlier versions of the service kept on this ConfigMap
 *        ({@code scale.overrides}); read only until the job's own mark has autoscaler state
 */
public record AutoscalerStateView(String uid, String namespace, String jobName, String ownerUid,
        String resourceVersion, String overrides, LastPublished legacyMark) {

    public static final String NAME_PREFIX = "autoscaler-";
    public static final String COMPONENT_LABEL = "component";
    public static final String COMPONENT = "autoscaler";
    static final String PARALLELISM_OVERRIDES = "parallelismOverrides";

    public String subject() {
        return namespace + "/" + jobName;
    }

    /** The view, or null when the ConfigMap is not an autoscaler's state (the name does not fit). */
    public static AutoscalerStateView of(JsonNode configMap, LastPublished legacyMark) {
        JsonNode metadata = configMap.path("metadata");
        String name = metadata.path("name").asText();
        if (!name.startsWith(NAME_PREFIX) || name.length() == NAME_PREFIX.length()) {
            return null;
        }
        String job = JobView.labels(configMap).getOrDefault("app", name.substring(NAME_PREFIX.length()));
        return new AutoscalerStateView(metadata.path("uid").asText(null), metadata.path("namespace").asText(), job,
                metadata.path("ownerReferences").path(0).path("uid").asText(null),
                metadata.path("resourceVersion").asText(null),
                JobView.textOrNull(configMap.path("data").path(PARALLELISM_OVERRIDES)), legacyMark);
    }

    /** Whether this is the state of that job (its owner, else the same namespace and name). */
    public boolean belongsTo(String jobUid, String jobNamespace, String name) {
        return ownerUid != null ? ownerUid.equals(jobUid) : namespace.equals(jobNamespace) && jobName.equals(name);
    }
}
