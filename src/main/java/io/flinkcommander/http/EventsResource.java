package io.flinkcommander.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.events.EventFeed;
import io.smallrye.mutiny.Multi;

/**
 * {@code GET /api/events}: every event this replica publishes from now on, as server-sent events
 * holding structured-mode CloudEvents; {@code ?subject=ns/name} keeps one job's.
 */
@Path("/api/events")
public class EventsResource {

    private final EventFeed feed;

    public EventsResource(EventFeed feed) {
        this.feed = feed;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<JsonNode> events(@QueryParam("subject") String subject) {
        return feed.stream(subject);
    }
}
