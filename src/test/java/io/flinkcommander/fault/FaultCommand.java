package io.flinkcommander.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One command of a scenario's stream: a known id, sent as a structured CloudEvent keyed by its subject. */
record FaultCommand(String id, String type, String subject, ObjectNode data) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The short verb, e.g. {@code scale} for {@code flink.job.scale}. */
    String verb() {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    ProducerRecord<String, byte[]> record() {
        ObjectNode event = JSON.createObjectNode()
                .put("specversion", "1.0").put("id", id).put("source", "//fault-suite")
                .put("type", type).put("subject", subject).put("datacontenttype", "application/json");
        event.set("data", data);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(FaultBus.COMMANDS, subject,
                event.toString().getBytes(UTF_8));
        record.headers().add("content-type", "application/cloudevents+json".getBytes(UTF_8));
        return record;
    }
}
