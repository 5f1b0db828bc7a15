package io.flinkcommander.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The Kafka edge for observed events: an idempotent producer with acks=all (configured on the
 * {@value #CHANNEL} channel), the topic chosen per record. Not transactional: an observed
 * transition is not tied to consuming anything, and duplicates carry the same CloudEvent id.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "observed-events";

    private final MutinyEmitter<byte[]> emitter;
    private final EventFeed feed;
    private final MeterRegistry registry;

    public EventPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter, EventFeed feed, MeterRegistry registry) {
        this.emitter = emitter;
        this.feed = feed;
        this.registry = registry;
    }

    /** Completes once Kafka has acknowledged the record (all in-sync replicas). */
    public Uni<Void> publish(OutboundRecord record) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
        Message<byte[]> message = Message.of(record.value()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic()).withKey(record.key()).withHeaders(headers).build());
        return emitter.sendMessage(message).invoke(() -> {
            feed.published(record);
            Counter.builder("commander.events.published").description("Observed events acknowledged by Kafka")
                    .tag("type", typeOf(record)).register(registry).increment();
        });
    }

    private static String typeOf(OutboundRecord record) {
        return record.headers().stream().filter(h -> h.getKey().equals("ce_type")).findFirst()
                .map(h -> new String(h.getValue(), java.nio.charset.StandardCharsets.UTF_8)).orElse("unknown");
    }
}
