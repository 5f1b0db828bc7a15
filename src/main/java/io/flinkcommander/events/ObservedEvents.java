package io.flinkcommander.events;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.config.CommanderConfig;

/** Builds the binary-mode CloudEvent of an {@link Observation}, keyed by its job. */
@ApplicationScoped
public class ObservedEvents {

    /** The CloudEvents extension (header {@code ce_resourceuid}) naming the job resource's uid. */
    public static final String RESOURCE_UID = "resourceuid";

    private final ObjectMapper json;
    private final CommanderConfig config;
    private final String source;

    public ObservedEvents(ObjectMapper json, CommanderConfig config) {
        this.json = json;
        this.config = config;
        this.source = "//flink-commander/" + config.instanceId();
    }

    public OutboundRecord record(Observation observation) {
        ObservedEvent event = observation.event();
        String topic = switch (event.stream()) {
            case LIFECYCLE -> config.topics().lifecycle();
            case SAVEPOINTS -> config.topics().savepoints();
            case SCALING -> config.topics().scaling();
        };
        var headers = CloudEventHeaders
                .of(observation.id(), event.eventType(), source, observation.subject(), observation.time().toString())
                .extension("causationid", observation.causationId())
                .extension(RESOURCE_UID, observation.resourceUid())
                .trace(observation.trace())
                .json();
        try {
            return new OutboundRecord(topic, observation.subject(), headers, json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event.getClass().getSimpleName(), e);
        }
    }
}
