package io.flinkcommander.events;

import java.util.List;
import java.util.Map;

/** A record to publish, before any Kafka client type: topic, key, headers in order, value. */
public record OutboundRecord(String topic, String key, List<Map.Entry<String, byte[]>> headers, byte[] value) {
}
