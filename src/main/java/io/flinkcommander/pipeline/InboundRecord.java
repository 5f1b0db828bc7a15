package io.flinkcommander.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A record from the commands topic, with nothing of the Kafka client left in it.
 *
 * @param position {@code topic-partition@offset}: where it was read, unique per record
 * @param header   the last value of a header as UTF-8, or null
 * @param headers  all headers as they came, kept for the dead-letter topic
 */
public record InboundRecord(String key, byte[] value, Function<String, String> header,
        List<Map.Entry<String, byte[]>> headers, String position, Instant timestamp) {
}
