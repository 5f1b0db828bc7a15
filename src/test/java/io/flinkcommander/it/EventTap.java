package io.flinkcommander.it;


import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What a downstream consumer of the observed events sees on {@code flink.lifecycle}, {@code flink.savepoints} and {@code flink.scaling}. */
final class EventTap implements AutoCloseable {

    static final String LIFECYCLE = "flink.lifecycle";
    static final String SAVEPOINTS = "flink.savepoints";
    static final String SCALING = "flink.scaling";

    record Event(String topic, CommandBus.Received record) {
        String type() {
            return record.headers().get("ce_type");
        }

        String header(String name) {
            return record.headers().get(name);
        }

        String field(String name) {
            var value = record.data().path(name);
            return value.isNull() || value.isMissingNode() ? null : value.asText();
        }
    }

    private static EventTap shared;

    private final String bootstrapServers;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread collector;
    private volatile boolean running = true;

    /** The tap for the platform the tests run on now: one per platform, like {@link CommandBus#shared()}. */
    static synchronized EventTap shared() {
        String servers = io.flinkcommander.fixture.FlinkPlatformTestResource.platform().bootstrapServers();
        if (shared == null || !shared.bootstrapServers.equals(servers)) {
            if (shared != null) {
                try {
                    shared.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            shared = new EventTap(servers);
        }
        return shared;
    }

    EventTap(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "tap-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(LIFECYCLE, SAVEPOINTS, SCALING));
        collector = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        events.add(new Event(r.topic(), CommandBus.Received.of(r)));
                    }
                }
            }
        }, "test-event-tap");
        collector.setDaemon(true);
        collector.start();
    }

    /** Events about one job, in the order they were read (one partition per job: the order published). */
    List<Event> about(String subject) {
        return events.stream().filter(e -> subject.equals(e.record().key())).toList();
    }

    List<Event> about(String subject, String type) {
        return about(subject).stream().filter(e -> type.equals(e.type())).toList();
    }

    /** Waits until an event about {@code subject} matches, and returns it. */
    Event await(String subject, Predicate<Event> matching) {
        org.awaitility.Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(30))
                .until(() -> about(subject).stream().anyMatch(matching));
        return about(subject).stream().filter(matching).findFirst().orElseThrow();
    }

    static Predicate<Event> lifecycleTo(String state) {
        return e -> "flink.job.lifecycle-changed".equals(e.type()) && state.equals(e.field("to"));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        collector.join();
    }
}
