package io.flinkcommander.observe;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What was last published about one resource, kept on the resource itself in the annotation
 * {@value #ANNOTATION}, so that a restarted service (or a new leader) publishes the net change
 * since then: nothing twice, nothing lost.
 *
 * @param lifecycle a job's last published {@code lifecycleState}
 * @param job a job's last published {@code jobStatus.state}
 * @param savepoint a job's newest published legacy savepoint ({@code savepointInfo}) time, epoch ms
 * @param snapshot a FlinkStateSnapshot's last published phase (TRIGGERED, COMPLETED, FAILED)
 * @param count a Kubernetes Event's last published {@code count}
 * @param scale a job's parallelism as last seen in its spec: what the next scale decision is "from"
 * @param autoscaler a job's parallelism overrides as last seen in its autoscaler's state ConfigMap: kept
 *        on the job, not on the ConfigMap, which is the autoscaler's to write (a patch of ours made its
 *        next update with resourceVersion fail)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LastPublished(String lifecycle, String job, Long savepoint, String snapshot, Integer count,
        Scale scale, Autoscaled autoscaler) {

    /**
     * {@code spec.job.parallelism} and {@code pipeline.jobvertex-parallelism-overrides} (as written,
     * {@code vid:n,vid:n}); either may be null.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Scale(Long parallelism, String overrides) {
    }

    /**
     * {@code parallelismOverrides} of the job's {@code autoscaler-<job>} ConfigMap ({@code vid:n,vid:n}, null
     * when absent) and the time (epoch ms) of the ScalingReport Event the last decision was published
     * with: an older report never describes a later decision.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Autoscaled(String overrides, Long reportTime) {
    }

    public LastPublished(String lifecycle, String job, Long savepoint, String snapshot, Integer count) {
        this(lifecycle, job, savepoint, snapshot, count, null, null);
    }

    public static final String ANNOTATION = "flink-commander.io/last-published";
    public static final LastPublished NOTHING = new LastPublished(null, null, null, null, null);

    /** The mark in an annotation; NOTHING when absent or unreadable (then the full state is published again). */
    public static LastPublished parse(ObjectMapper json, String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return NOTHING;
        }
        try {
            return Objects.requireNonNullElse(json.readValue(annotation, LastPublished.class), NOTHING);
        } catch (JsonProcessingException e) {
            return NOTHING;
        }
    }

    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the last-published mark", e);
        }
    }

    LastPublished withLifecycle(String value) {
        return new LastPublished(value, job, savepoint, snapshot, count, scale, autoscaler);
    }

    LastPublished withJob(String value) {
        return new LastPublished(lifecycle, value, savepoint, snapshot, count, scale, autoscaler);
    }

    LastPublished withSavepoint(Long value) {
        return new LastPublished(lifecycle, job, value, snapshot, count, scale, autoscaler);
    }

    LastPublished withSnapshot(String value) {
        return new LastPublished(lifecycle, job, savepoint, value, count, scale, autoscaler);
    }

    LastPublished withCount(Integer value) {
        return new LastPublished(lifecycle, job, savepoint, snapshot, value, scale, autoscaler);
    }

    LastPublished withScale(Scale value) {
        return new LastPublished(lifecycle, job, savepoint, snapshot, count, value, autoscaler);
    }

    LastPublished withAutoscaler(Autoscaled value) {
        return new LastPublished(lifecycle, job, savepoint, snapshot, count, scale, value);
    }
}
