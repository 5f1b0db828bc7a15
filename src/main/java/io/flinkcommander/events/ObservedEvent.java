package io.flinkcommander.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the service publishes about a job it observes: the {@code data} of one CloudEvent. The
 * records are the wire shape of {@code data} (see contract.md); {@link #eventType()} and
 * {@link #stream()} say which CloudEvent type and which topic carry it.
 */
public sealed interface ObservedEvent permits ObservedEvent.LifecycleChanged, ObservedEvent.JobStatusChanged,
        ObservedEvent.OperatorEventRecorded, ObservedEvent.SavepointRecorded, ObservedEvent.ScalingDecided {

    /** Which outgoing topic an event belongs to. */
    enum Stream {
        LIFECYCLE, SAVEPOINTS, SCALING
    }

    @JsonIgnore
    String eventType();

    @JsonIgnore
    Stream stream();

    /** {@code status.lifecycleState} moved; {@code to} DELETED when the resource is gone. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record LifecycleChanged(String from, String to, String jobState, Long generation, Long observedGeneration)
            implements ObservedEvent {
        public static final String TYPE = "flink.job.lifecycle-changed";

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Stream stream() {
            return Stream.LIFECYCLE;
        }
    }

    /** {@code status.jobStatus.state} moved. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record JobStatusChanged(String from, String to, String jobId) implements ObservedEvent {
        public static final String TYPE = "flink.job.status-changed";

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Stream stream() {
            return Stream.LIFECYCLE;
        }
    }

    /** A Kubernetes Event the operator recorded on a job or snapshot; again with a higher count on repeats. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record OperatorEventRecorded(String reason, String type, String message, int count) implements ObservedEvent {
        public static final String TYPE = "flink.job.operator-event";

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Stream stream() {
            return Stream.LIFECYCLE;
        }
    }

    /**
     * A savepoint or checkpoint was triggered, completed or failed: from a FlinkStateSnapshot
     * (with {@code snapshotName}) or from a job's legacy {@code savepointInfo} (without).
     * Timestamps are ISO-8601 instants. As the contract says, only {@code snapshotName},
     * {@code error} and {@code reason} are left out when null; the other fields are always there,
     * null where not known, and an unknown format is UNKNOWN. {@code reason}, failed only: see
     * {@link Reason}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SavepointRecorded(@JsonIgnore Phase phase, String snapshotName, String kind, String triggerType,
            String formatType, @JsonInclude(JsonInclude.Include.ALWAYS) String path,
            @JsonInclude(JsonInclude.Include.ALWAYS) String triggerTimestamp,
            @JsonInclude(JsonInclude.Include.ALWAYS) String resultTimestamp, String error, Reason reason)
            implements ObservedEvent {

        public SavepointRecorded {
            formatType = formatType == null ? "UNKNOWN" : formatType;
        }

        /** Without a reason: triggered and completed records. */
        public SavepointRecorded(Phase phase, String snapshotName, String kind, String triggerType, String formatType,
                String path, String triggerTimestamp, String resultTimestamp, String error) {
            this(phase, snapshotName, kind, triggerType, formatType, path, triggerTimestamp, resultTimestamp, error,
                    null);
        }

        /**
         * Why a snapshot failed, on the wire as written: the operator said FAILED (its trigger failed
         * past the retries) or ABANDONED (the job was missing or not running), or the service gave up
         * waiting for a snapshot a command asked for ({@code commander.snapshots.timeout}).
         */
        public enum Reason {
            Failed, Abandoned, Timeout
        }

        public enum Phase {
            TRIGGERED("flink.savepoint.triggered"), COMPLETED("flink.savepoint.completed"),
            FAILED("flink.savepoint.failed");

            public final String type;

            Phase(String type) {
                this.type = type;
            }
        }

        @Override
        public String eventType() {
            return phase.type;
        }

        @Override
        public Stream stream() {
            return Stream.SAVEPOINTS;
        }
    }

    /**
     * New parallelism for some of a job's vertices: by a scale command (MANUAL), by the operator's
     * autoscaler (AUTOSCALER) or by a rule of the service (POLICY). {@code applied}: the new
     * parallelism is in the resource's spec (false: only recommended, e.g. autoscaler execution off).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ScalingDecided(Origin origin, java.util.List<Vertex> vertices, boolean applied) implements ObservedEvent {
        public static final String TYPE = "flink.scaling.decided";

        /** Wire values of {@code origin}. */
        public enum Origin {
            MANUAL, AUTOSCALER, POLICY
        }

        /**
         * One vertex; {@value #ALL_VERTICES} for a job-wide parallelism ({@code spec.job.parallelism}).
         * {@code from} null when not known; the rates only from the autoscaler.
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Vertex(String vertexId, @JsonInclude(JsonInclude.Include.ALWAYS) Long from, long to,
                Double processingCapacity, Double targetDataRate) {
            public static final String ALL_VERTICES = "*";
        }

        public ScalingDecided {
            vertices = java.util.List.copyOf(vertices);
        }

        @Override
        public String eventType() {
            return TYPE;
        }

        @Override
        public Stream stream() {
            return Stream.SCALING;
        }
    }
}
