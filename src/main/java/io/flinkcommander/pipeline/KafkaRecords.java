package io.flinkcommander.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.flinkcommander.command.CloudEventReader;
import io.flinkcommander.events.OutboundRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Between the Kafka connector's records and the pipeline's own {@link InboundRecord} / {@link OutboundRecord}. */
final class KafkaRecords {

    private KafkaRecords() {
    }

    static InboundRecord inbound(KafkaRecord<String, byte[]> record) {
        Headers headers = record.getHeaders();
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getOffset).orElse(-1L);
        List<Map.Entry<String, byte[]>> raw = new ArrayList<>();
        for (Header header : headers) {
            raw.add(Map.entry(header.key(), header.value() == null ? new byte[0] : header.value()));
        }
        return new InboundRecord(record.getKey(), record.getPayload(), name -> {
            Header last = headers.lastHeader(name);
            return last == null ? null : CloudEventReader.utf8(last.value());
        }, raw, record.getTopic() + "-" + record.getPartition() + "@" + offset, record.getTimestamp());
    }

    static Message<byte[]> outgoing(OutboundRecord out) {
        RecordHeaders headers = new RecordHeaders();
        out.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
        return Message.of(out.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(out.topic()).withKey(out.key()).withHeaders(headers).build());
    }
}
