package io.flinkcommander.telemetry;

import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.command.FieldError;

/**
 * Logging about commands. While a command is handled, its id, type, subject and trace id are in the
 * logging MDC of the thread handling it, so every line logged meanwhile (here, in the applier, in
 * the Kubernetes client) names the command, in the readable and in the JSON format alike.
 */
public final class CommandLog {

    public static final String COMMAND_ID = "commandId";
    public static final String COMMAND_TYPE = "commandType";
    public static final String SUBJECT = "subject";
    public static final String TRACE_ID = "traceId";

    private static final Logger LOG = Logger.getLogger(CommandLog.class);

    private CommandLog() {
    }

    /**
     * Puts the command into this thread's MDC until the scope is closed. Worker threads are pooled:
     * closing removes every key, so nothing leaks into the next command's lines.
     */
    public static Scope enter(CommandEnvelope command) {
        put(COMMAND_ID, command.id());
        put(COMMAND_TYPE, command.type());
        put(SUBJECT, command.subject());
        put(TRACE_ID, command.trace() == null ? null : command.trace().traceId());
        return new Scope();
    }

    /** One line per command: what became of it. FAILED is a warning; the rest is routine. */
    public static void outcome(Outcome outcome, long applyNanos) {
        long millis = applyNanos / 1_000_000;
        if (outcome instanceof Outcome.Failed failed) {
            LOG.warnf("Command FAILED after %d ms: %s", millis, failed.reason());
        } else if (outcome instanceof Outcome.Rejected rejected) {
            // Paths only: messages may quote what the producer sent.
            LOG.infof("Command REJECTED (%s) in %d ms at %s", rejected.reason(), millis,
                    rejected.errors().stream().map(FieldError::path).collect(Collectors.joining(", ")));
        } else {
            LOG.infof("Command %s in %d ms", outcome.name(), millis);
        }
    }

    /** A command parked behind a stuck job (see pipeline/ParkedJobs): answered later, by the parked consumer. */
    public static void parked(String reason, long applyNanos) {
        LOG.warnf("Command PARKED after %d ms: %s", applyNanos / 1_000_000, reason);
    }

    /** A record that is not a command: no id to put in the MDC, so its position is in the line. */
    public static void deadLettered(String position, String reason) {
        LOG.warnf("Record %s is not a readable command, sent to the dead-letter topic: %s", position, reason);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Ends a command's MDC on this thread. */
    public static final class Scope implements AutoCloseable {
        private Scope() {
        }

        @Override
        public void close() {
            MDC.remove(COMMAND_ID);
            MDC.remove(COMMAND_TYPE);
            MDC.remove(SUBJECT);
            MDC.remove(TRACE_ID);
        }
    }
}
