package io.flinkcommander.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.command.TraceContext;

/**
 * An event this service published, read back from its topic: the inverse of {@link ObservedEvents}
 * (binary-mode CloudEvent, attributes in {@code ce_*} headers, data as JSON). Whoever rebuilds state
 * from an outgoing topic (the savepoint catalog, the jobs deleted while nobody observed) reads it so.
 *
 * @param resourceUid the {@code resourceuid} extension, null on events published before it existed
 * @param data the JSON data; never null
 */
public record PublishedEvent(String id, String type, String subject, String causationId, TraceContext trace,
        String resourceUid, JsonNode data) {

    /** The record's CloudEvent type, without reading its value (to skip the types nobody asked for cheaply). */
    public static String typeOf(ConsumerRecord<?, byte[]> record) {
        return header(record, "ce_type");
    }

    /** The event, or null when the record is no readable event (no id, no subject, no JSON object). */
    public static PublishedEvent read(ConsumerRecord<?, byte[]> record, ObjectMapper json) {
        String id = header(record, "ce_id");
        String subject = header(record, "ce_subject");
        if (id == null || subject == null || record.value() == null) {
            return null;
        }
        JsonNode data;
        try {
            data = json.readTree(record.value());
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (data == null || !data.isObject()) {
            return null;
        }
        return new PublishedEvent(id, typeOf(record), subject, header(record, "ce_causationid"),
                TraceContext.of(header(record, "ce_traceparent"), header(record, "ce_tracestate")),
                header(record, "ce_" + ObservedEvents.RESOURCE_UID), data);
    }

    /** A data field as text; null when absent or null. */
    public String text(String field) {
        JsonNode value = data.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    /** A data field as a number; null when absent, null or not a whole number. */
    public Long number(String field) {
        JsonNode value = data.path(field);
        return value.canConvertToLong() && !value.isTextual() ? value.asLong() : null;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }
}
