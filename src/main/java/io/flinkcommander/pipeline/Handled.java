package io.flinkcommander.pipeline;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;

/** What became of one record: a command answered with an outcome, or a record for the dead-letter topic. */
public sealed interface Handled {

    InboundRecord record();

    /** @param key the job the result is about ({@code subject}), or the record's key when the subject was bad */
    record Answered(InboundRecord record, CommandEnvelope command, String key, Outcome outcome) implements Handled {
    }

    record DeadLettered(InboundRecord record, String reason) implements Handled {
    }
}
