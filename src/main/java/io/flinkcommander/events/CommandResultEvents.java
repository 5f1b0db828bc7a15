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
        // Bounded: what the command carried is echoed here, and a result must fit in one record.
        String key = CommandResult.bounded(answered.key());
        List<Map.Entry<String, byte[]>> headers = CloudEventHeaders
                .of("result:" + answered.record().position(), RESULT_TYPE, source, key, clock.instant().toString())
                .extension("causationid", CommandResult.bounded(command.id()))
                .trace(command.trace())
                .json();
        return new OutboundRecord(config.topics().results(), key, headers,
                toJson(CommandResult.of(command, answered.outcome())));
    }

    public OutboundRecord deadLetter(Handled.DeadLettered dead) {
        var record = dead.record();
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(record.headers());
        List<Map.Entry<String, byte[]>> reasons = new ArrayList<>();
        header(reasons, DEAD_LETTER_REASON, CommandResult.bounded(dead.reason()));
        int at = record.position().lastIndexOf('@');
        int dash = record.position().lastIndexOf('-', at);
        header(reasons, "dead-letter-topic", config.topics().commands());
        header(reasons, "dead-letter-partition", record.position().substring(dash + 1, at));
        header(reasons, "dead-letter-position", record.position());
        header(reasons, "dead-letter-offset", record.position().substring(at + 1));
        headers.addAll(reasons);
        String key = record.key();
        byte[] value = record.value();
        if (size(key, headers, value) > MAX_DEAD_LETTER_BYTES) {
            // The original fitted in a record, the original plus our headers may not, and a dead
            // letter Kafka refuses would abort its batch's transaction again and again. The original
            // stays on the commands topic, at dead-letter-position, until the topic's retention.
            long dropped = size(key, record.headers(), value);
            key = key == null ? null : CommandResult.bounded(key);
            headers = size(key, headers, null) > MAX_DEAD_LETTER_BYTES ? reasons : headers;
            value = new byte[0];
            header(headers, "dead-letter-dropped", "the record's value" + (headers == reasons ? " and headers" : "")
                    + " (" + dropped + " bytes in all): too large to copy with these headers");
        }
        return new OutboundRecord(config.topics().deadLetter(), key, headers, value);
    }

    /**
     * Kafka's default {@code max.request.size} (1 MiB) less room for the record's framing: a dead
     * letter must fit where its original did.
     */
    static final int MAX_DEAD_LETTER_BYTES = 1_048_576 - 1_024;

    private static long size(String key, List<Map.Entry<String, byte[]>> headers, byte[] value) {
        long size = (key == null ? 0 : key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                + (value == null ? 0 : value.length);
        for (Map.Entry<String, byte[]> header : headers) {
            size += header.getKey().length() + header.getValue().length;
        }
        return size;
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
