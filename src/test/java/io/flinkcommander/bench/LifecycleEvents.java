package io.flinkcommander.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the lifecycle topic from the beginning on its own thread and hands each event to a listener (W3, W4). */
final class LifecycleEvents implements AutoCloseable {

    static final String TOPIC = "flink.lifecycle";
    static final String LIFECYCLE_CHANGED = "flink.job.lifecycle-changed";
    static final String STATUS_CHANGED = "flink.job.status-changed";
    private static final ObjectMapper JSON = new ObjectMapper();

    interface Listener {
        /** @param arrived System.nanoTime() when the event was read */
        void onEvent(String subject, String type, String to, long arrived);
    }

    private final Thread thread;
    private volatile boolean running = true;

    private LifecycleEvents(String bootstrap, Listener listener) {
        KafkaConsumer<String, byte[]> consumer = CommandRun.consumer(bootstrap, "earliest");
        consumer.subscribe(List.of(TOPIC));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        listener.onEvent(header(r, "ce_subject"), header(r, "ce_type"),
                                JSON.readTree(r.value()).path("to").asText(null), now);
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable event on " + TOPIC, e);
            }
        }, "bench-lifecycle-events");
        thread.setDaemon(true);
        thread.start();
    }

    static LifecycleEvents follow(String bootstrap, Listener listener) {
        return new LifecycleEvents(bootstrap, listener);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
