package io.flinkcommander.pipeline;


import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.events.CommandResultEvents;
import io.flinkcommander.events.OutboundRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;

/**
 * The Kafka edge of the command pipeline. Each polled batch is handled inside one Kafka
 * transaction that holds its results, its dead letters and the batch's consumer offsets: they
 * become visible together or not at all. So an offset is never committed before its command's
 * result is durable, and a crash before the commit only means the batch is read again, where the
 * applied-command ids on each resource keep the effects from happening twice; records this replica
 * already answered are not handled again ({@link BatchTransactions}).
 * <p>
 * Commands the processor parked go to the parked topic in the same transaction, in place of
 * their results (see {@link ParkedTopicConsumer}).
 */
@ApplicationScoped
public class CommandTopicConsumer {

    public static final String COMMANDS = "commands";
    public static final String RESULTS = "command-results";

    private final KafkaTransactions<byte[]> transactions;
    private final CommandProcessor processor;
    private final CommandResultEvents events;
    private final CommandMetrics metrics;
    private final ParkedJobs parkedJobs;
    private final BatchTransactions batches;
    private final String parkedTopic;

    public CommandTopicConsumer(@Channel(RESULTS) KafkaTransactions<byte[]> transactions, CommandProcessor processor,
            CommandResultEvents events, CommandMetrics metrics, ParkedJobs parkedJobs, BatchTransactions batches,
            CommanderConfig config) {
        this.transactions = transactions;
        this.batches = batches;
        this.processor = processor;
        this.events = events;
        this.metrics = metrics;
        this.parkedJobs = parkedJobs;
        this.parkedTopic = config.topics().parked();
    }

    @Incoming(COMMANDS)
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return batches.handle(COMMANDS, RESULTS, transactions, batch, KafkaRecords::inbound,
                records -> processor.process(records).map(handled -> handled.stream().map(this::publishable).toList()))
                .invoke(settled -> {
                    if (settled.committed()) {
                        metrics.committed(settled.records());
                    } else {
                        // Nothing of the batch was parked after all; it is read again and decided again.
                        parkedJobs.abandon(settled.records());
                    }
                })
                .replaceWithVoid();
    }

    private OutboundRecord publishable(Handled handled) {
        if (handled instanceof Handled.Parked parked) {
            return ParkedRecords.of(parked, parkedTopic);
        }
        return handled instanceof Handled.Answered answered
                ? events.result(answered)
                : events.deadLetter((Handled.DeadLettered) handled);
    }
}
