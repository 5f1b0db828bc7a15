package io.flinkcommander.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.flinkcommander.events.ObservedEvent.ScalingDecided;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Origin;
import io.flinkcommander.events.ObservedEvent.ScalingDecided.Vertex;

/**
 * Reads the message of the Kubernetes Event with reason {@value #REASON} that the operator's
 * autoscaler records on a job: a header line saying whether scaling execution is enabled (then the
 * new parallelism is written into the job's spec) or disabled (only a recommendation), then one
 * {@code { Vertex ID <id> | Parallelism <from> -> <to> | Processing capacity <a> -> <b> | Target data rate <r>}}
 * per vertex. Pure.
 *
 * <p>Read leniently, because the text is not an API: any whitespace and line breaks between the
 * parts; numbers written with a decimal comma (the autoscaler formats with the JVM's locale);
 * rates that are not finite, negative or unreadable become null instead of failing the report.
 * A message without a readable vertex gives nothing (the Event is still published as
 * {@code flink.job.operator-event}).
 */
public final class ScalingReport {

    public static final String REASON = "ScalingReport";

    private static final Pattern VERTEX = Pattern.compile(
            "\\{\\s*Vertex\\s+ID\\s+([0-9A-Fa-f]{32})\\s*\\|\\s*Parallelism\\s+(\\d+)\\s*->\\s*(\\d+)\\s*"
                    + "\\|\\s*Processing\\s+capacity\\s+([^\\s|}]+)\\s*->\\s*([^\\s|}]+)\\s*"
                    + "\\|\\s*Target\\s+data\\s+rate\\s+([^\\s|}]+)\\s*}",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern DISABLED = Pattern.compile("execution\\s+disabled|disabled", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENABLED = Pattern.compile("execution\\s+enabled", Pattern.CASE_INSENSITIVE);

    private ScalingReport() {
    }

    /**
     * A ScalingReport Event as read: its decision, which Event and occurrence said it, and when
     * ({@code lastTimestamp}, epoch ms, null when the Event has no time).
     */
    public record Recorded(String eventUid, int count, Long time, ScalingDecided decision) {

        /** The report in an operator Event, or empty when it is no ScalingReport or names no vertex. */
        public static Optional<Recorded> of(OperatorEventView event, Long time) {
            if (!REASON.equals(event.reason())) {
                return Optional.empty();
            }
            return parse(event.message()).map(decision -> new Recorded(event.uid(), event.count(), time, decision));
        }

        String id() {
            return eventUid + "/" + count + "/" + ScalingDecided.TYPE;
        }
    }

    /** The decision in a ScalingReport message, or empty if it names no vertex. */
    public static Optional<ScalingDecided> parse(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher matcher = VERTEX.matcher(message);
        List<Vertex> vertices = new ArrayList<>();
        int firstVertex = -1;
        while (matcher.find()) {
            if (firstVertex < 0) {
                firstVertex = matcher.start();
            }
            long from = Long.parseLong(matcher.group(2));
            long to = Long.parseLong(matcher.group(3));
            if (to < 1) {
                continue; // not a parallelism; the schema (and Flink) need at least 1
            }
            vertices.add(new Vertex(matcher.group(1).toLowerCase(Locale.ROOT), from < 1 ? null : from, to,
                    rate(matcher.group(4)), rate(matcher.group(6))));
        }
        if (vertices.isEmpty()) {
            return Optional.empty();
        }
        String header = message.substring(0, firstVertex);
        boolean applied = ENABLED.matcher(header).find() && !DISABLED.matcher(header).find();
        return Optional.of(new ScalingDecided(Origin.AUTOSCALER, vertices, applied));
    }

    private static Double rate(String text) {
        String normalized = text.indexOf('.') < 0 ? text.replace(',', '.') : text.replace(",", "");
        try {
            double value = Double.parseDouble(normalized);
            return Double.isFinite(value) && value >= 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
