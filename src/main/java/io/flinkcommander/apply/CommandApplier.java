package io.flinkcommander.apply;

import io.flinkcommander.command.Command;

/**
 * Turns a validated command into a change of the Flink resources. The pipeline sees only this;
 * the operator's custom resources are one implementation, Flink's native mode can be another.
 * Blocking: callers run it off the event loop.
 */
public interface CommandApplier {

    Outcome apply(Command command, CommandContext context);
}
