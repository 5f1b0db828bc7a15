package io.flinkcommander.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One completed savepoint or checkpoint of a job, as {@code GET /api/jobs/{ns}/{name}/savepoints}
 * shows it. {@code id} is the CloudEvent id it was published with (duplicates collapse on it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CatalogEntry(@JsonIgnore String id, @JsonIgnore String subject, String snapshotName, String kind,
        String triggerType, String formatType, String path, String triggerTimestamp, String resultTimestamp) {

    /** When it completed; the trigger time for an entry without a result time. */
    @JsonIgnore
    String time() {
        return resultTimestamp != null ? resultTimestamp : triggerTimestamp == null ? "" : triggerTimestamp;
    }
}
