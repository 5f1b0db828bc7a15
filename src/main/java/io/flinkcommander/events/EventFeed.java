package io.flinkcommander.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Every event this replica published (once Kafka acknowledged it), as structured-mode CloudEvent
 * JSON, for {@code GET /api/events}. Live only: a subscriber sees what is published after it
 * subscribed; history is on the topics.
 */
@ApplicationScoped
public class EventFeed {

    private static final int SUBSCRIBER_BUFFER = 10_000;

    private final BroadcastProcessor<JsonNode> events = BroadcastProcessor.create();
    private final ObjectMapper json;

    public EventFeed(ObjectMapper json) {
        this.json = json;
    }

    public void published(OutboundRecord record) {
        ObjectNode event = json.createObjectNode();
        for (Map.Entry<String, byte[]> header : record.headers()) {
            if (header.getKey().startsWith("ce_")) {
                event.put(header.getKey().substring(3), new String(header.getValue(), UTF_8));
            }
        }
        event.put("datacontenttype", "application/json");
        try {
            event.set("data", json.readTree(record.value()));
        } catch (java.io.IOException e) {
            event.put("data_base64", java.util.Base64.getEncoder().encodeToString(record.value()));
        }
        events.onNext(event);
    }

    /**
     * Events whose {@code subject} is {@code subject}, or all when it is null. Each subscriber gets
     * its own buffer: an SSE client asks for one event at a time, and the broadcast would fail a
     * subscriber that is not ready for the next one.
     */
    public Multi<JsonNode> stream(String subject) {
        return events.onOverflow().buffer(SUBSCRIBER_BUFFER)
                .filter(e -> subject == null || subject.equals(e.path("subject").asText()));
    }
}
