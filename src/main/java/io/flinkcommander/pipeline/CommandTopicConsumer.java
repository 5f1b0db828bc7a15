package io.flinkcommander.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.flinkcommander.command.CloudEventReader;
import io.flinkcommander.events.CommandResultEvents;
import io.flinkcommander.events.OutboundRecord;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;

/**
 * The Kafka edge of the command pipeline. Each polled batch is handled inside one Kafka
 * transaction that holds its results, its dead letters and the batch's consumer offsets: they
 * become visible together or not at all. So an offset is never committed before its command's
 * result is durable, and a crash before the commit only means the batch is read again, where the
 * applied-command ids on each resource keep the effects from happening twice.
 */
@ApplicationScoped
public class CommandTopicConsumer {

    public static final String COMMANDS = "commands";
    public static final String RESULTS = "command-results";

    private final KafkaTransactions<byte[]> transactions;
    private final CommandProcessor processor;
    private final CommandResultEvents events;
    private final CommandMetrics metrics;

    public CommandTopicConsumer(@Channel(RESULTS) KafkaTransactions<byte[]> transactions, CommandProcessor processor,
            CommandResultEvents events, CommandMetrics metrics) {
        this.transactions = transactions;
        this.processor = processor;
        this.events = events;
        this.metrics = metrics;
    }

    @Incoming(COMMANDS)
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        List<InboundRecord> records = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
            records.add(inbound(record));
        }
        return transactions.withTransactionAndAck(batch, tx -> processor.process(records)
                .invoke(handled -> handled.forEach(h -> tx.send(outgoing(publishable(h)))))
                .replaceWithVoid())
                .invoke(() -> metrics.committed(records));
    }

    private OutboundRecord publishable(Handled handled) {
        return handled instanceof Handled.Answered answered
                ? events.result(answered)
                : events.deadLetter((Handled.DeadLettered) handled);
    }

    private static InboundRecord inbound(KafkaRecord<String, byte[]> record) {
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

    private static Message<byte[]> outgoing(OutboundRecord out) {
        RecordHeaders headers = new RecordHeaders();
        out.headers().forEach(h -> headers.add(h.getKey(), h.getValue()));
        return Message.of(out.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(out.topic()).withKey(out.key()).withHeaders(headers).build());
    }
}
