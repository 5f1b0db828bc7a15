package io.flinkcommander.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the service publishes about a job it observes: the {@code data} of one CloudEvent. The
 * records are the wire shape of {@code data} (see contract.md); {@link #eventType()} and
 * {@link #stream()} say which CloudEvent type and which topic carry it.
 */
public sealed interface ObservedEvent permits ObservedEvent.LifecycleChanged, ObservedEvent.JobStatusChanged,
        ObservedEvent.OperatorEventRecorded, ObservedEvent.SavepointRecorded {

    /** Which outgoing topic an event belongs to. */
    enum Stream {
        LIFECYCLE, SAVEPOINTS
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
     * Timestamps are ISO-8601 instants.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SavepointRecorded(@JsonIgnore Phase phase, String snapshotName, String kind, String triggerType,
            String formatType, String path, String triggerTimestamp, String resultTimestamp, String error)
            implements ObservedEvent {

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
}
