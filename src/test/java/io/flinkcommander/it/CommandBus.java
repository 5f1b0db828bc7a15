package io.flinkcommander.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.flinkcommander.fixture.FlinkPlatformTestResource;

/**
 * What a producer and a downstream consumer of the service see: sends commands to the commands
 * topic as a plain Kafka client, and collects every committed result and dead letter.
 */
final class CommandBus implements AutoCloseable {

    static final String COMMANDS = "flink.commands";
    static final String RESULTS = "flink.command-results";
    static final String DLQ = "flink.commands.dlq";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CommandBus shared;

    private final String bootstrapServers;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Received> results = new CopyOnWriteArrayList<>();
    private final List<Received> deadLetters = new CopyOnWriteArrayList<>();
    private final Thread collector;
    private volatile boolean running = true;

    /**
     * The bus for the platform the tests run on now: one per platform, so every test class does
     * not open its own consumer and read the whole results topic again. A new platform (another
     * test profile) gets a new bus.
     */
    static synchronized CommandBus shared() {
        String servers = FlinkPlatformTestResource.platform().bootstrapServers();
        if (shared == null || !shared.bootstrapServers.equals(servers)) {
            if (shared != null) {
                shared.stop();
            }
            shared = new CommandBus(servers);
        }
        return shared;
    }

    CommandBus(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());

        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(RESULTS, DLQ));
        collector = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        (r.topic().equals(RESULTS) ? results : deadLetters).add(Received.of(r));
                    }
                }
            }
        }, "test-result-collector");
        collector.setDaemon(true);
        collector.start();
    }

    /** A command in structured mode, keyed by its subject. */
    String sendStructured(String type, String subject, String dataJson) {
        String id = UUID.randomUUID().toString();
        sendStructured(id, type, subject, dataJson);
        return id;
    }

    void sendStructured(String id, String type, String subject, String dataJson) {
        sendStructured(id, type, subject, dataJson, Map.of());
    }

    /** With CloudEvent extension attributes, e.g. {@code dryrun}. */
    void sendStructured(String id, String type, String subject, String dataJson, Map<String, String> extensions) {
        ObjectNode event = JSON.createObjectNode()
                .put("specversion", "1.0").put("id", id).put("source", "//tests")
                .put("type", type).put("subject", subject).put("datacontenttype", "application/json");
        extensions.forEach(event::put);
        event.set("data", parse(dataJson));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(COMMANDS, subject, event.toString().getBytes(UTF_8));
        record.headers().add("content-type", "application/cloudevents+json".getBytes(UTF_8));
        send(record);
    }

    /** A command in binary mode: attributes in ce_ headers, data as the value. */
    String sendBinary(String type, String subject, String dataJson) {
        return sendBinary(type, subject, dataJson, Map.of());
    }

    /** With more headers, e.g. W3C {@code traceparent}. */
    String sendBinary(String type, String subject, String dataJson, Map<String, String> moreHeaders) {
        String id = UUID.randomUUID().toString();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(COMMANDS, subject, dataJson.getBytes(UTF_8));
        moreHeaders.forEach((name, value) -> record.headers().add(name, value.getBytes(UTF_8)));
        record.headers().add("ce_specversion", "1.0".getBytes(UTF_8)).add("ce_id", id.getBytes(UTF_8))
                .add("ce_source", "//tests".getBytes(UTF_8)).add("ce_type", type.getBytes(UTF_8))
                .add("ce_subject", subject.getBytes(UTF_8))
                .add("content-type", "application/json".getBytes(UTF_8));
        send(record);
        return id;
    }

    void sendRaw(String key, byte[] value) {
        send(new ProducerRecord<>(COMMANDS, key, value));
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send a command", e);
        }
    }

    /** Waits for the one result of a command and returns its data. */
    JsonNode awaitResult(String commandId) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(30))
                .until(() -> !resultsFor(commandId).isEmpty());
        return resultsFor(commandId).get(0).data();
    }

    List<Received> resultsFor(String commandId) {
        return results.stream().filter(r -> commandId.equals(r.data().path("commandId").asText()))
                .collect(Collectors.toList());
    }

    List<Received> results() {
        return new ArrayList<>(results);
    }

    List<Received> deadLetters() {
        return new ArrayList<>(deadLetters);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        collector.join();
        producer.close();
    }

    private void stop() {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Received(String key, Map<String, String> headers, byte[] value, JsonNode data) {
        static Received of(ConsumerRecord<String, byte[]> r) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), UTF_8));
            }
            JsonNode data;
            try {
                data = JSON.readTree(r.value());
            } catch (Exception e) {
                data = JSON.createObjectNode();
            }
            return new Received(r.key(), headers, r.value(), data);
        }
    }
}
