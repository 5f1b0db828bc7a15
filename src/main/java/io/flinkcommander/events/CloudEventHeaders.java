package io.flinkcommander.events;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.flinkcommander.command.TraceContext;

/**
 * The {@code ce_*} headers of a binary-mode CloudEvent on Kafka, in a fixed order. Every event
 * this service publishes is built here, so they all carry the same attributes the same way.
 */
final class CloudEventHeaders {

    private final List<Map.Entry<String, byte[]>> headers = new ArrayList<>();

    private CloudEventHeaders() {
    }

    /** The required attributes, and {@code data} as JSON. */
    static CloudEventHeaders of(String id, String type, String source, String subject, String time) {
        return new CloudEventHeaders()
                .add("ce_id", id)
                .add("ce_specversion", "1.0")
                .add("ce_type", type)
                .add("ce_source", source)
                .add("ce_subject", subject)
                .add("ce_time", time);
    }

    /** An extension attribute, left out when there is no value. */
    CloudEventHeaders extension(String name, String value) {
        return value == null ? this : add("ce_" + name, value);
    }

    /** A plain header (not a CloudEvent attribute), left out when there is no value. */
    CloudEventHeaders header(String name, String value) {
        return value == null ? this : add(name, value);
    }

    /**
     * The trace context of the command behind the event, unchanged, twice: as the CloudEvents
     * distributed-tracing extension ({@code ce_traceparent}, {@code ce_tracestate}: the context the
     * event was created in) and as the plain W3C headers that Kafka tracing instrumentation reads.
     * Nothing when there is none.
     */
    CloudEventHeaders trace(TraceContext trace) {
        if (trace == null) {
            return this;
        }
        return extension("traceparent", trace.traceparent()).extension("tracestate", trace.tracestate())
                .header("traceparent", trace.traceparent()).header("tracestate", trace.tracestate());
    }

    List<Map.Entry<String, byte[]>> json() {
        add("content-type", "application/json");
        return headers;
    }

    static void add(List<Map.Entry<String, byte[]>> headers, String name, String value) {
        headers.add(Map.entry(name, value.getBytes(UTF_8)));
    }

    private CloudEventHeaders add(String name, String value) {
        add(headers, name, value);
        return this;
    }
}
