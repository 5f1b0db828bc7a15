package io.flinkcommander.apply;

import io.flinkcommander.command.Command;

/**
 * Turns a validated command into a change of the Flink resources. The pipeline sees only this;
 * the operator's custom resources are one implementation, Flink's native mode can be another.
 * Blocking: callers run it off the event loop.
 */
public interface CommandApplier {

    Outcome apply(Command command, CommandContext context);

    /**
     * The same, giving up on a Kubernetes API that keeps failing transiently after {@code budget}
     * (all calls of the command together) with {@link Outcome.Unavailable}.
     */
    default Outcome apply(Command command, CommandContext context, java.time.Duration budget) {
        return apply(command, context);
    }
}
