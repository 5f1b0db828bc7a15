package io.flinkcommander.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.flinkcommander.events.OutboundRecord;

/**
 * The parked topic's records: the command record as it came (key replaced by the job, value and
 * headers kept) plus headers saying where it came from and since when it is parked. The original
 * position stays the command's identity: its result id and the {@code record} remembered on the
 * resource (so a parked command applied before a crash is answered as the first time, not DUPLICATE).
 */
final class ParkedRecords {

    /** {@code topic-partition@offset} of the command record. */
    static final String FROM = "parked-from";
    /** The command record's Kafka timestamp (epoch ms), for the end-to-end latency. */
    static final String FROM_TIMESTAMP = "parked-from-timestamp";
    /** When it was parked (ISO-8601): its retry deadline counts from here. */
    static final String AT = "parked-at";
    /** The last Kubernetes error, or which command of the job it waits behind. */
    static final String REASON = "parked-reason";

    private ParkedRecords() {
    }

    static OutboundRecord of(Handled.Parked parked, String topic) {
        InboundRecord record = parked.record();
        List<Map.Entry<String, byte[]>> headers = new ArrayList<>(record.headers());
        add(headers, FROM, record.position());
        if (record.timestamp() != null) {
            add(headers, FROM_TIMESTAMP, String.valueOf(record.timestamp().toEpochMilli()));
        }
        add(headers, AT, parked.parkedAt().toString());
        add(headers, REASON, parked.reason());
        // Keyed by the job: one job's parked commands share a partition and keep their order.
        return new OutboundRecord(topic, parked.key(), headers, record.value());
    }

    private static void add(List<Map.Entry<String, byte[]>> headers, String name, String value) {
        headers.add(Map.entry(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The command record as it was first read, from its parked copy. */
    static InboundRecord restore(InboundRecord parked) {
        String from = parked.header().apply(FROM);
        String timestamp = parked.header().apply(FROM_TIMESTAMP);
        return new InboundRecord(parked.key(), parked.value(), parked.header(), parked.headers(),
                from != null ? from : parked.position(),
                timestamp != null ? Instant.ofEpochMilli(Long.parseLong(timestamp)) : parked.timestamp());
    }

    /** When the record was parked; its own timestamp if the header is missing. */
    static Instant parkedAt(InboundRecord record) {
        String at = record.header().apply(AT);
        return at != null ? Instant.parse(at) : record.timestamp() != null ? record.timestamp() : Instant.now();
    }
}
