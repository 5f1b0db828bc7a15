package io.flinkcommander.telemetry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import io.flinkcommander.pipeline.CommandTopicConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;

/**
 * {@code commander_command_consumer_lag{topic, partition}}: commands not yet answered, per partition
 * this replica is assigned. It is the consumer group's lag (end offset minus committed offset), not
 * the client's fetch lag: offsets are committed in the transaction that publishes the results, so this
 * counts commands read but not yet answered too. With {@code read_committed} the end offset is the
 * last stable offset. Each replica reports only its own partitions: sum them across replicas.
 */
@ApplicationScoped
public class CommandConsumerLag {

    private static final Logger LOG = Logger.getLogger(CommandConsumerLag.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaClientService kafka;
    private final MultiGauge lag;

    public CommandConsumerLag(KafkaClientService kafka, MeterRegistry registry) {
        this.kafka = kafka;
        this.lag = MultiGauge.builder("commander.command.consumer.lag")
                .description("Commands not yet answered (committed offset behind the end of the partition)")
                .register(registry);
    }

    @Scheduled(every = "${commander.telemetry.lag-interval}", delayed = "${commander.telemetry.lag-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        Map<TopicPartition, Long> lags = new HashMap<>();
        try {
            List<KafkaConsumer<Object, Object>> consumers = kafka.getConsumers(CommandTopicConsumer.COMMANDS);
            for (KafkaConsumer<Object, Object> consumer : consumers) {
                // The Kafka consumer is not thread-safe: ask on its own polling thread.
                lags.putAll(consumer.runOnPollingThread(CommandConsumerLag::lagOf)
                        .await().atMost(CALL_TIMEOUT.multipliedBy(3)));
            }
        } catch (RuntimeException e) {
            // Keep the last values: a broker hiccup should not read as "no lag".
            LOG.debugf("Could not read the commands consumer lag: %s", e.getMessage());
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        lags.forEach((partition, value) -> rows.add(MultiGauge.Row.of(
                Tags.of("topic", partition.topic(), "partition", String.valueOf(partition.partition())), value)));
        // Overwrite: partitions revoked from this replica disappear with the rebalance.
        lag.register(rows, true);
    }

    private static Map<TopicPartition, Long> lagOf(Consumer<Object, Object> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, CALL_TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned, CALL_TIMEOUT);
        Map<TopicPartition, Long> beginning = committed.values().stream().anyMatch(java.util.Objects::isNull)
                || committed.size() < assigned.size() ? consumer.beginningOffsets(assigned, CALL_TIMEOUT) : Map.of();
        Map<TopicPartition, Long> lags = new HashMap<>();
        for (TopicPartition partition : assigned) {
            OffsetAndMetadata done = committed.get(partition);
            lags.put(partition, lag(end.get(partition), done == null ? null : done.offset(), beginning.get(partition)));
        }
        return lags;
    }

    /**
     * Records between the committed offset and the end; a group that never committed on a partition
     * starts at its beginning ({@code auto.offset.reset=earliest}). Never negative.
     */
    static long lag(Long endOffset, Long committedOffset, Long beginningOffset) {
        if (endOffset == null) {
            return 0;
        }
        long from = committedOffset != null ? committedOffset : beginningOffset != null ? beginningOffset : 0;
        return Math.max(0, endOffset - from);
    }
}
