package io.flinkcommander.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

import io.flinkcommander.events.OutboundRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;

/**
 * One polled batch, one Kafka transaction (its results and the batch's offsets), with the guards
 * the connector's transactions lack.
 * <ul>
 * <li><b>Committed means committed.</b> When the commit itself fails (the group rebalanced, the
 * coordinator forgot the member after a broker restart) the connector aborts and then reports
 * success, without seeking back: the batch would be skipped. So a batch counts as answered only
 * once the group's committed offsets cover it; otherwise the consumer is sent back to them and the
 * batch is read again.</li>
 * <li><b>Nothing answered twice.</b> Sent back, the connector seeks a partition for which the
 * broker names no committed offset (as can happen right after a broker restart) to its
 * <em>beginning</em>. Records below what this replica saw committed are left out: offsets only
 * grow, so that stays true for the replica's whole life. (Deleting and re-creating the commands
 * topic under running replicas restarts its offsets at 0: restart the replicas after doing that.)</li>
 * <li><b>A producer that cannot begin a transaction</b>, or a consumer that cannot be sent back,
 * takes the replica's liveness down ({@link TransactionsLiveness}).</li>
 * </ul>
 */
@ApplicationScoped
public class BatchTransactions {

    private static final Logger LOG = Logger.getLogger(BatchTransactions.class);

    private final TransactionsLiveness liveness;
    private final KafkaClientService clients;
    /** Per partition, the offset after the last record whose transaction this replica saw commit. */
    private final Map<TopicPartition, Long> answeredUpTo = new ConcurrentHashMap<>();

    public BatchTransactions(@Liveness TransactionsLiveness liveness, KafkaClientService clients) {
        this.liveness = liveness;
        this.clients = clients;
    }

    /** What became of a polled batch: the records it handled, and whether their transaction committed. */
    record Settled(List<InboundRecord> records, boolean committed) {
    }

    /**
     * Handles a batch read from {@code incoming}: leaves out what this replica already answered,
     * reads the rest with {@code read}, and publishes what {@code work} makes of them in a
     * transaction of {@code producer} that also commits the whole batch's offsets. When it did not
     * commit, the consumer is back at the committed offsets and the batch has been nacked (which
     * logs why).
     */
    Uni<Settled> handle(String incoming, String producer, KafkaTransactions<byte[]> transactions,
            KafkaRecordBatch<String, byte[]> batch, Function<KafkaRecord<String, byte[]>, InboundRecord> read,
            Function<List<InboundRecord>, Uni<List<OutboundRecord>>> work) {
        List<InboundRecord> records = unanswered(batch).stream().map(read).toList();
        if (records.isEmpty()) {
            return Uni.createFrom().completionStage(batch.ack()).replaceWith(new Settled(records, true));
        }
        return inTransaction(incoming, producer, transactions, batch, () -> work.apply(records))
                .map(committed -> new Settled(records, committed));
    }

    private List<KafkaRecord<String, byte[]>> unanswered(KafkaRecordBatch<String, byte[]> batch) {
        List<KafkaRecord<String, byte[]>> fresh = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            Long upTo = answeredUpTo.get(new TopicPartition(record.getTopic(), record.getPartition()));
            if (upTo == null || offset(record) >= upTo) {
                fresh.add(record);
            }
        }
        int skipped = batch.getRecords().size() - fresh.size();
        if (skipped > 0) {
            LOG.infof("Skipped %d record(s) read again after an aborted transaction: already answered", skipped);
        }
        return fresh;
    }

    private Uni<Boolean> inTransaction(String incoming, String producer, KafkaTransactions<byte[]> transactions,
            KafkaRecordBatch<String, byte[]> batch, Supplier<Uni<List<OutboundRecord>>> work) {
        AtomicBoolean began = new AtomicBoolean();
        Map<TopicPartition, Long> covered = new HashMap<>();
        batch.getLatestOffsetRecords().forEach((partition, last) -> covered.put(partition, offset(last) + 1));
        // Not withTransactionAndAck: it turns a failed transaction into a nack and completes
        // normally, and what follows must know whether the batch committed.
        return transactions.withTransaction(batch, tx -> {
            began.set(true);
            return work.get().invoke(records -> records.forEach(out -> tx.send(KafkaRecords.outgoing(out))))
                    .replaceWithVoid();
        }).chain(() -> commitCovers(consumer(incoming), covered)).chain(committed -> {
            if (!committed) {
                return Uni.createFrom().failure(new IllegalStateException("the transaction was aborted: its commit failed"));
            }
            covered.forEach((partition, next) -> answeredUpTo.merge(partition, next, Math::max));
            return Uni.createFrom().completionStage(batch.ack()).replaceWith(true);
        }).onFailure().recoverWithUni(failure -> {
            if (!began.get()) {
                // Nothing was read back: the producer is unusable, and this replica on its way out.
                liveness.unusable(producer, failure);
                return Uni.createFrom().completionStage(batch.nack(failure)).replaceWith(false);
            }
            return backToCommittedOffsets(incoming)
                    .chain(() -> Uni.createFrom().completionStage(batch.nack(failure))).replaceWith(false);
        });
    }

    /**
     * Seeks every assigned partition back to the group's committed offset. The connector does
     * this itself after an exception, but not after a failed commit, and its seek pauses the
     * consumer first and leaves it paused when reading the committed offsets fails (for example
     * while a dead replica's transaction still holds them): doing it again until it succeeds keeps
     * the replica from stalling. If it never does, the replica asks to be restarted.
     */
    private Uni<Void> backToCommittedOffsets(String incoming) {
        return Uni.createFrom().deferred(() -> consumer(incoming).resetToLastCommittedPositions())
                .onFailure().invoke(e -> LOG.warnf("Could not seek %s back to its committed offsets: %s", incoming,
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(10)).atMost(RESET_ATTEMPTS)
                .onFailure().invoke(e -> liveness.unusable(incoming, e))
                .onFailure().recoverWithNull();
    }

    private static final int RESET_ATTEMPTS = 20;

    /** Whether the group's committed offsets have reached {@code covered}; false if that cannot be told. */
    private static Uni<Boolean> commitCovers(KafkaConsumer<Object, Object> consumer, Map<TopicPartition, Long> covered) {
        return consumer.committed(covered.keySet().toArray(TopicPartition[]::new)).map(committed -> {
            for (Map.Entry<TopicPartition, Long> wanted : covered.entrySet()) {
                OffsetAndMetadata at = committed.get(wanted.getKey());
                if (at == null || at.offset() < wanted.getValue()) {
                    return false;
                }
            }
            return true;
        }).onFailure().recoverWithItem(false);
    }

    private KafkaConsumer<Object, Object> consumer(String incoming) {
        List<KafkaConsumer<Object, Object>> consumers = clients.getConsumers(incoming);
        if (consumers.size() != 1) {
            throw new IllegalStateException("expected one Kafka consumer for " + incoming + ", found " + consumers.size());
        }
        return consumers.get(0);
    }

    private static long offset(KafkaRecord<String, byte[]> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElseThrow(() -> new IllegalStateException("a record without its Kafka position"));
    }
}
