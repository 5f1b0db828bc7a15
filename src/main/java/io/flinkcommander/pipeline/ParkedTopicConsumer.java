package io.flinkcommander.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.events.CommandResultEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;

/**
 * Answers parked commands: retries each until it is applied, finally refused, or
 * {@code commander.apply.retry-deadline} after it was parked has passed (then FAILED with the
 * last error). Like the main path, each batch is one Kafka transaction holding its results and
 * its offsets on the parked topic, in its own consumer group and with its own transactional
 * producer, so a parked command is answered exactly once and its result is the one the main path
 * would have published (same id, same format). Jobs run side by side on threads of their own, a
 * job's parked commands one after another in order; a stuck job delays only other parked commands.
 */
@ApplicationScoped
public class ParkedTopicConsumer {

    public static final String PARKED = "parked";
    public static final String PARKED_RESULTS = "parked-results";

    private final KafkaTransactions<byte[]> transactions;
    private final CommandProcessor processor;
    private final CommandResultEvents events;
    private final CommandMetrics metrics;
    private final BatchTransactions batches;
    private final ParkedLane lane;

    public ParkedTopicConsumer(@Channel(PARKED_RESULTS) KafkaTransactions<byte[]> transactions,
            CommandProcessor processor, CommandResultEvents events, CommandMetrics metrics, BatchTransactions batches,
            CommanderConfig config) {
        this.transactions = transactions;
        this.batches = batches;
        this.processor = processor;
        this.events = events;
        this.metrics = metrics;
        this.lane = new ParkedLane(CommandProcessor.workers("command-parked-", config.apply().maxInFlight()),
                config.apply().retryDeadline());
    }

    @Incoming(PARKED)
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return batches.handle(PARKED, PARKED_RESULTS, transactions, batch,
                record -> ParkedRecords.restore(KafkaRecords.inbound(record)),
                original -> processor.process(original, lane).map(handled -> handled.stream().map(this::publishable).toList()))
                .invoke(settled -> {
                    if (settled.committed()) {
                        metrics.committed(settled.records());
                    }
                })
                .replaceWithVoid();
    }

    private io.flinkcommander.events.OutboundRecord publishable(Handled handled) {
        // Parked records were readable commands on the main path, and this lane parks nothing.
        return handled instanceof Handled.Answered answered
                ? events.result(answered)
                : events.deadLetter((Handled.DeadLettered) handled);
    }

    @PreDestroy
    void stop() {
        lane.workers().shutdownNow();
    }

    /** Each parked command has what is left of its retry deadline; when that runs out, FAILED. */
    private static final class ParkedLane implements Lane {

        private final ExecutorService workers;
        private final Duration retryDeadline;
        private final Clock clock = Clock.systemUTC();

        ParkedLane(ExecutorService workers, Duration retryDeadline) {
            this.workers = workers;
            this.retryDeadline = retryDeadline;
        }

        @Override
        public ExecutorService workers() {
            return workers;
        }

        @Override
        public void beforeBatch() {
        }

        @Override
        public boolean firstRead() {
            return false;
        }

        @Override
        public boolean isParked(String job) {
            return false;
        }

        @Override
        public Duration budget(InboundRecord record) {
            Duration left = Duration.between(clock.instant(), ParkedRecords.parkedAt(record).plus(retryDeadline));
            // Past its deadline (say, read again after a restart) it still gets one try.
            return left.isNegative() ? Duration.ZERO : left;
        }

        @Override
        public Handled settle(Handled.Answered attempted) {
            if (attempted.outcome() instanceof Outcome.Unavailable unavailable) {
                // Retried since it was parked: the reason names the whole deadline.
                return new Handled.Answered(attempted.record(), attempted.command(), attempted.key(),
                        new Outcome.Unavailable(retryDeadline, unavailable.lastError()));
            }
            return attempted;
        }

        @Override
        public Handled.Parked park(InboundRecord record, CommandEnvelope command, String job, String reason) {
            throw new IllegalStateException("parked commands are not parked again");
        }
    }
}
