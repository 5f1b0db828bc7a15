package io.flinkcommander.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.flinkcommander.events.Observation;
import io.flinkcommander.events.ObservedEvent.ScalingDecided;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Origin;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Vertex;
import io.flinkcommander.observe.LastPublished.Autoscaled;
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
 *
 * <p>Autoscaler decisions: executed ones from the overrides the autoscaler stores
 * ({@link #ofAutoscalerState}), recommendations from its ScalingReport Event ({@link #ofOperatorEvent}),
 * so each is published once.
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

    /**
     * An operator Event with reason ScalingReport is a decision of its own only when the autoscaler
     * merely recommends (scaling execution disabled): an executed decision is published from the
     * overrides it stores ({@link #ofAutoscalerState}), with this report's data, so it is published once.
     */
    static List<Observation> ofOperatorEvent(OperatorEventView event, String subject, Instant now) {
        return ScalingReport.Recorded.of(event, null)
                .filter(report -> !report.decision().applied())
                .map(report -> List.of(new Observation(report.id(), subject, null, now, report.decision())))
                .orElse(List.of());
    }

    /**
     * An executed autoscaler decision, decided from the job's autoscaler state ConfigMap: its
     * {@code parallelismOverrides} differ from the job's mark. The overrides are the authoritative
     * sign that a decision was executed (the autoscaler stores them only then, after recording its
     * ScalingReport Event, and the operator deploys them); the report adds the rates. The report is
     * the same decision when it says scaling execution was enabled, every vertex it names goes to the
     * parallelism now stored for that vertex, and it is newer than the report of the last decision
     * published (the mark's {@code reportTime}); of several, the newest.
     *
     * <ul>
     * <li>With a report: its vertices (from, to, rates), plus any other vertex whose override changed
     * since the mark (a decision made while nobody published whose report is gone), id
     * {@code <event uid>/<count>/flink.scaling.decided}.</li>
     * <li>Without (the Event was lost or expired): each vertex whose override changed, {@code from} its
     * previous override, else the job's parallelism, unchanged vertices left out; id
     * {@code <configmap uid>/<resourceVersion>/flink.scaling.decided}.</li>
     * </ul>
     * The first overrides seen are a decision (the autoscaler writes them when it first scales);
     * removed overrides or a removed ConfigMap only move the mark. No causation; {@code applied} true.
     *
     * @param state the job's autoscaler state, null when it has none
     * @param reportSources where to find the job's ScalingReport Events, asked in order until one holds
     *        the report of this decision, and only when the overrides changed
     * @param jobParallelism the job's {@code spec.job.parallelism}, null if not known
     */
    public static Transition ofAutoscalerState(String subject, AutoscalerStateView state,
            List<Supplier<List<ScalingReport.Recorded>>> reportSources, Long jobParallelism, LastPublished mark,
            Instant now) {
        Autoscaled was = mark.autoscaler() != null ? mark.autoscaler() : legacy(state);
        String before = was == null ? null : was.overrides();
        String after = state == null ? null : state.overrides();
        if (Objects.equals(before, after)) {
            return new Transition(List.of(), was == null ? mark : mark.withAutoscaler(was));
        }
        Long reportTime = was == null ? null : was.reportTime();
        if (after == null) {
            return new Transition(List.of(), mark.withAutoscaler(new Autoscaled(null, reportTime)));
        }
        List<Vertex> changed = changes(new Scale(jobParallelism, before), new Scale(null, after)).stream()
                .filter(v -> !Objects.equals(v.from(), v.to())).toList();
        Optional<ScalingReport.Recorded> report = Optional.empty();
        for (Supplier<List<ScalingReport.Recorded>> source : reportSources) {
            report = sameDecision(source.get(), overrides(after), reportTime);
            if (report.isPresent()) {
                break;
            }
        }
        if (report.isEmpty()) {
            LastPublished next = mark.withAutoscaler(new Autoscaled(after, reportTime));
            return changed.isEmpty() ? new Transition(List.of(), next)
                    : new Transition(List.of(new Observation(state.uid() + "/" + state.resourceVersion() + "/"
                            + ScalingDecided.TYPE, subject, null, now,
                            new ScalingDecided(Origin.AUTOSCALER, changed, true))), next);
        }
        List<Vertex> vertices = new ArrayList<>(report.get().decision().vertices());
        Set<String> named = vertices.stream().map(Vertex::vertexId).collect(Collectors.toSet());
        changed.stream().filter(v -> !named.contains(v.vertexId())).forEach(vertices::add);
        return new Transition(List.of(new Observation(report.get().id(), subject, null, now,
                new ScalingDecided(Origin.AUTOSCALER, vertices, true))),
                mark.withAutoscaler(new Autoscaled(after, report.get().time())));
    }

    private static Optional<ScalingReport.Recorded> sameDecision(List<ScalingReport.Recorded> reports,
            Map<String, Long> stored, Long publishedReportTime) {
        return reports.stream()
                .filter(r -> r.decision().applied() && r.time() != null
                        && (publishedReportTime == null || r.time() > publishedReportTime))
                .filter(r -> r.decision().vertices().stream()
                        .allMatch(v -> Objects.equals(stored.get(v.vertexId()), v.to())))
                .max(Comparator.comparing(ScalingReport.Recorded::time).thenComparingInt(ScalingReport.Recorded::count));
    }

    /** Where an earlier version of the service kept the mark: on the ConfigMap itself. */
    private static Autoscaled legacy(AutoscalerStateView state) {
        if (state == null || state.legacyMark() == null || state.legacyMark().scale() == null) {
            return null;
        }
        return new Autoscaled(state.legacyMark().scale().overrides(), null);
    }

    static List<Vertex> changes(Scale before, Scale after) {
        List<Vertex> out = new ArrayList<>();
        if (after.parallelism() != null && !after.parallelism().equals(before.parallelism())) {
            out.add(new Vertex(Vertex.ALL_VERTICES, before.parallelism(), after.parallelism(), null, null));
        }
        Map<String, Long> was = overrides(before.overrides());
        overrides(after.overrides()).forEach((vertex, parallelism) -> {
            if (!parallelism.equals(was.get(vertex))) {
                out.add(new Vertex(vertex, was.containsKey(vertex) ? was.get(vertex) : before.parallelism(),
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
