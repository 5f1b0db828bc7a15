package io.flinkcommander.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.fixture.LocalKafka;

/**
 * The Kafka side of a fault scenario, as the service's producers and consumers see it: sends
 * commands, and keeps every committed record of every topic the service writes (results, dead
 * letters, observed events), read with {@code read_committed}, so that the invariants can count
 * results per command and look for secrets in all output.
 */
final class FaultBus implements AutoCloseable {

    static final String COMMANDS = "flink.commands";
    static final String RESULTS = "flink.command-results";
    static final String DLQ = "flink.commands.dlq";
    /** Everything the service publishes. */
    static final List<String> OUTPUT_TOPICS = List.of(RESULTS, DLQ, "flink.lifecycle", "flink.savepoints",
            "flink.scaling");
    /** The service's consumer group on the commands topic. */
    static final String SERVICE_GROUP = "flink-commander";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Output> outputs = new CopyOnWriteArrayList<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final Thread collector;
    private volatile boolean running = true;

    FaultBus(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotent: a send retried across a broker restart is written once, so a command id
        // never reaches the topic twice because of the test's own producer.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-collector-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(OUTPUT_TOPICS);
        collector = new Thread(() -> collect(consumer), "fault-output-collector");
        collector.setDaemon(true);
        collector.start();
    }

    /**
     * Collects every committed output once. The collector's group commits nothing, so when a
     * broker restart costs it its membership it reads its partitions again from the beginning:
     * what it already has (by partition and offset) is not collected twice.
     */
    private void collect(KafkaConsumer<String, byte[]> consumer) {
        Set<String> collected = new HashSet<>();
        try (consumer) {
            while (running) {
                try {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (collected.add(r.topic() + "-" + r.partition() + "@" + r.offset())) {
                            outputs.add(Output.of(r));
                        }
                    }
                    for (TopicPartition partition : consumer.assignment()) {
                        positions.put(partition, consumer.position(partition));
                    }
                } catch (RuntimeException e) {
                    // The broker is being restarted: poll again.
                }
            }
        }
    }

    /** A structured-mode command, keyed by its subject; returns once the broker has it. */
    void send(FaultCommand command) {
        await(producer.send(command.record()));
    }

    /** Sends without waiting for the acknowledgement (the producer keeps order per partition). */
    Future<RecordMetadata> sendAsync(ProducerRecord<String, byte[]> record) {
        return producer.send(record);
    }

    void send(ProducerRecord<String, byte[]> record) {
        await(producer.send(record));
    }

    void flush() {
        producer.flush();
    }

    private static void await(Future<RecordMetadata> sent) {
        try {
            sent.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker refused a command: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    /** Every committed result, dead letter and event read so far. */
    List<Output> outputs() {
        return new ArrayList<>(outputs);
    }

    List<Output> outputs(String topic) {
        return outputs.stream().filter(o -> o.topic().equals(topic)).collect(Collectors.toList());
    }

    /** Results by command id. */
    Map<String, List<JsonNode>> resultsById() {
        Map<String, List<JsonNode>> byId = new HashMap<>();
        for (Output result : outputs(RESULTS)) {
            byId.computeIfAbsent(result.data().path("commandId").asText(), k -> new ArrayList<>()).add(result.data());
        }
        return byId;
    }

    /** How many of these ids have at least one result. */
    long answered(Set<String> ids) {
        return outputs(RESULTS).stream().map(o -> o.data().path("commandId").asText()).filter(ids::contains)
                .distinct().count();
    }

    /**
     * Whether the collector has read every output topic up to its last committed record now:
     * after this, what {@link #outputs()} holds is all there is.
     */
    boolean caughtUp() {
        Map<TopicPartition, Long> ends = endOffsets(OUTPUT_TOPICS, IsolationLevel.READ_COMMITTED);
        return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /**
     * Records of the commands topic the service's group has not committed yet, over all partitions:
     * 0 when every command's result (or dead letter) is durable.
     */
    long serviceLag() {
        Map<TopicPartition, Long> ends = endOffsets(List.of(COMMANDS), IsolationLevel.READ_UNCOMMITTED);
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(SERVICE_GROUP)
                    .partitionsToOffsetAndMetadata().get();
            return ends.entrySet().stream().mapToLong(e -> {
                OffsetAndMetadata at = committed.get(e.getKey());
                return e.getValue() - (at == null ? 0 : at.offset());
            }).sum();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the service's committed offsets", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<TopicPartition, Long> endOffsets(List<String> topics, IsolationLevel isolation) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(topic -> topic.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get()
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the end offsets of " + topics, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates the topics the scenario reads, so that the collector is assigned them from the start. */
    static void createTopics(LocalKafka kafka) {
        List<String> all = new ArrayList<>(OUTPUT_TOPICS);
        all.add(COMMANDS);
        kafka.createTopics(all.toArray(String[]::new));
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000"));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        collector.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }

    /** One record the service published, with its headers as text. */
    record Output(String topic, String key, Map<String, String> headers, byte[] value, JsonNode data) {

        static Output of(ConsumerRecord<String, byte[]> r) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), UTF_8));
            }
            JsonNode data;
            try {
                data = r.value() == null ? JSON.nullNode() : JSON.readTree(r.value());
            } catch (Exception e) {
                data = JSON.nullNode();
            }
            return new Output(r.topic(), r.key(), headers, r.value(), data);
        }

        /** Key, headers and value as one text, for looking for what must not be there. */
        String text() {
            return key + " " + headers + " " + (value == null ? "" : new String(value, UTF_8));
        }
    }
}
