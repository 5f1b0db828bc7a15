package io.flinkcommander.events;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.pipeline.Handled;

/**
 * Builds what the pipeline publishes: {@code flink.command.result} CloudEvents in binary mode, and
 * dead letters that keep the original record and say why in headers.
 */
@ApplicationScoped
public class CommandResultEvents {

    public static final String RESULT_TYPE = "flink.command.result";
    /** SmallRye's dead-letter header names, so existing tooling reads ours too. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";

    private final ObjectMapper json;
    private final CommanderConfig config;
    private final String source;
    private final Clock clock;

    public CommandResultEvents(ObjectMapper json, CommanderConfig config) {
        this.json = json;
        this.config = config;
        this.source = "//flink-commander/" + config.instanceId();
        this.clock = Clock.systemUTC();
    }

    public OutboundRecord result(Handled.Answered answered) {
        var command = answered.command();
        // Deterministic per command record: a consumer can drop a result it has seen.
        List<Map.Entry<String, byte[]>> headers = CloudEventHeaders
                .of("result:" + answered.record().position(), RESULT_TYPE, source, answered.key(),
                        clock.instant().toString())
                .extension("causationid", command.id())
                .trace(command.trace())
                .json();
        return new OutboundRecord(config.topics().results(), answered.key(), headers,
                toJson(CommandResult.of(command, answered.outcome())));
    }

    public OutboundRecord deadLetter(Handled.DeadLettered dead) {
        var record = dead.record();
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(record.headers());
        header(headers, DEAD_LETTER_REASON, dead.reason());
        int at = record.position().lastIndexOf('@');
        int dash = record.position().lastIndexOf('-', at);
        header(headers, "dead-letter-topic", config.topics().commands());
        header(headers, "dead-letter-partition", record.position().substring(dash + 1, at));
        header(headers, "dead-letter-position", record.position());
        header(headers, "dead-letter-offset", record.position().substring(at + 1));
        return new OutboundRecord(config.topics().deadLetter(), record.key(), headers, record.value());
    }

    private byte[] toJson(Object data) {
        try {
            return json.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + data.getClass().getSimpleName(), e);
        }
    }

    private static void header(List<Map.Entry<String, byte[]>> headers, String name, String value) {
        CloudEventHeaders.add(headers, name, value);
    }
}
