package io.flinkcommander.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.ScalingDecided;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Origin;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Vertex;
import io.flinkcommander.observe.LastPublished.Scale;

/**
 * Manual scaling decisions: the parallelism in a job's spec changed and the newest command in its
 * applied-commands annotation is a {@value #SCALE_COMMAND}. Pure, like {@link Transitions}.
 *
 * <p>Decided from the spec rather than from the command pipeline so that the observer's leader is
 * the one publisher of every event about a job, with the mark on the resource making it once:
 * the pipeline answers a redelivered command without knowing the parallelism before it. The id is
 * {@code <uid>/<command id>/flink.scaling.decided}: one decision per scale command.
 *
 * <p>A job-wide parallelism ({@code spec.job.parallelism}) is one vertex entry with vertexId
 * {@value Vertex#ALL_VERTICES}; vertex overrides are one entry per vertex whose override changed,
 * {@code from} being its previous override, else the previous job parallelism. A change of the
 * same numbers by a deploy or upgrade is not a scaling decision (only the mark moves), nor is the
 * first sight of a job.
 */
public final class ScalingDecisions {

    public static final String SCALE_COMMAND = "flink.job.scale";

    private ScalingDecisions() {
    }

    public static Transition ofJob(ScaleView job, LastPublished mark, Instant now) {
        Scale before = mark.scale();
        Scale after = job.scale();
        if (after.equals(before)) {
            return new Transition(List.of(), mark);
        }
        LastPublished next = mark.withScale(after);
        if (before == null || job.commandId() == null || !SCALE_COMMAND.equals(job.commandType())) {
            return new Transition(List.of(), next);
        }
        List<Vertex> vertices = changes(before, after);
        if (vertices.isEmpty()) {
            return new Transition(List.of(), next);
        }
        return new Transition(List.of(new Observation(job.uid() + "/" + job.commandId() + "/" + ScalingDecided.TYPE,
                job.subject(), job.commandId(), now, new ScalingDecided(Origin.MANUAL, vertices, true), job.trace())),
                next);
    }

    /** An operator Event with reason ScalingReport: the autoscaler's decision. */
    static List<Observation> ofOperatorEvent(OperatorEventView event, String subject, Instant now) {
        if (!ScalingReport.REASON.equals(event.reason())) {
            return List.of();
        }
        return ScalingReport.parse(event.message())
                .map(decision -> List.of(new Observation(event.uid() + "/" + event.count() + "/" + ScalingDecided.TYPE,
                        subject, null, now, decision)))
                .orElse(List.of());
    }

    static List<Vertex> changes(Scale before, Scale after) {
        List<Vertex> out = new ArrayList<>();
        if (after.parallelism() != null && !after.parallelism().equals(before.parallelism())) {
            out.add(new Vertex(Vertex.ALL_VERTICES, before.parallelism(), after.parallelism(), null, null));
        }
        Map<String, Long> was = overrides(before.overrides());
        overrides(after.overrides()).forEach((vertex, parallelism) -> {
            if (!parallelism.equals(was.get(vertex))) {
                out.add(new Vertex(vertex, Objects.requireNonNullElse(was.get(vertex), before.parallelism()),
                        parallelism, null, null));
            }
        });
        return out;
    }

    /** {@code vid:n,vid:n}; entries that are not a vertex id and a positive number are skipped. */
    static Map<String, Long> overrides(String value) {
        Map<String, Long> out = new TreeMap<>();
        if (value == null) {
            return out;
        }
        for (String entry : value.split(",")) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            try {
                long parallelism = Long.parseLong(entry.substring(colon + 1).trim());
                if (parallelism >= 1) {
                    out.put(entry.substring(0, colon).trim(), parallelism);
                }
            } catch (NumberFormatException e) {
                // not ours to judge: Flink reports it when it reads the configuration
            }
        }
        return out;
    }
}
