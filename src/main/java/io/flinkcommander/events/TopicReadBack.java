package io.flinkcommander.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Identifier;

/**
 * Reads one of our outgoing topics back, once, from the beginning to its end as of the call: every
 * partition assigned (no group, nothing committed), {@code read_committed}, one pass. The savepoint
 * catalog reads its topic continuously through a channel; this is for state needed at one moment
 * (taking the observer's lead), where "everything published until now" must be complete before
 * anything is decided.
 */
@ApplicationScoped
public class TopicReadBack {

    /** What one pass read. */
    public record Pass(int partitions, long records, Duration took) {
    }

    private final Map<String, Object> kafkaConfig;
    private final ObjectMapper json;

    /** @param kafkaConfig the Kafka client settings shared by all channels (bootstrap servers, security) */
    public TopicReadBack(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ObjectMapper json) {
        this.kafkaConfig = kafkaConfig;
        this.json = json;
    }

    /**
     * Hands every readable event of the given types to {@code each}, in topic order per partition
     * (one job's events share a partition, so per job in the order published).
     *
     * @throws IllegalStateException when the end is not reached within {@code limit}: the caller
     *         must not decide on part of the topic
     */
    public Pass read(String topic, Set<String> types, Consumer<PublishedEvent> each, Duration limit) {
        long started = System.nanoTime();
        long giveUpAt = started + limit.toNanos();
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Never create the topic by reading it: a missing topic is an empty history.
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "flink-commander-read-back-" + topic);
        long records = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, limit).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                return new Pass(0, 0, Duration.ofNanos(System.nanoTime() - started));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For a read_committed consumer: the last stable offsets, i.e. all that is readable now.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, limit);
            while (!reached(consumer, end, limit)) {
                if (System.nanoTime() > giveUpAt) {
                    throw new IllegalStateException("topic " + topic + " not read to its end within " + limit);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    records++;
                    if (types.contains(PublishedEvent.typeOf(record))) {
                        PublishedEvent event = PublishedEvent.read(record, json);
                        if (event != null) {
                            each.accept(event);
                        }
                    }
                }
            }
            return new Pass(partitions.size(), records, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end,
            Duration limit) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), limit) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
