package io.flinkcommander.pipeline;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;

/**
 * What became of one record: a command answered with an outcome, a record for the dead-letter
 * topic, or a command parked to be retried apart (see {@link ParkedJobs}).
 */
public sealed interface Handled {

    InboundRecord record();

    /** @param key the job the result is about ({@code subject}), or the record's key when the subject was bad */
    record Answered(InboundRecord record, CommandEnvelope command, String key, Outcome outcome) implements Handled {
    }

    record DeadLettered(InboundRecord record, String reason) implements Handled {
    }

    /**
     * Not answered yet: goes to the parked topic, for {@link ParkedTopicConsumer}.
     *
     * @param key    the job
     * @param reason the last Kubernetes error, or which command of the job it waits behind
     */
    record Parked(InboundRecord record, CommandEnvelope command, String key, String reason, java.time.Instant parkedAt)
            implements Handled {
    }
}
