package io.flinkcommander.command;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a record as a CloudEvent 1.0 in either Kafka protocol binding mode.
 * <ul>
 * <li>binary: attributes in {@code ce_*} headers, the record value is the data;</li>
 * <li>structured: {@code content-type: application/cloudevents+json} and the whole event as a JSON
 * object in the value. A value that is a JSON object with {@code specversion} is read as structured
 * even without the header, because producers often forget it.</li>
 * </ul>
 * A record is unreadable only when it has no event id to answer to; everything else that is wrong
 * is left to validation, which answers with a result.
 */
public final class CloudEventReader {

    static final String SPEC_VERSION = "1.0";
    private static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents";
    private static final java.util.Set<String> TRACE_HEADERS = java.util.Set.of("traceparent", "tracestate");

    private final ObjectMapper json;

    public CloudEventReader(ObjectMapper json) {
        this.json = json;
    }

    /**
     * @param value  the record value, may be null
     * @param header the last value of a record header as UTF-8, or null when absent
     */
    public ReadResult read(byte[] value, Function<String, String> header) {
        String contentType = header.apply("content-type");
        if (contentType != null && contentType.startsWith(STRUCTURED_CONTENT_TYPE)) {
            return readStructured(value);
        }
        if (header.apply("ce_specversion") != null) {
            return readBinary(value, header);
        }
        JsonNode headerless = headerlessStructuredEvent(value);
        if (headerless != null) {
            return readStructured(headerless);
        }
        return new ReadResult.Unreadable("not a CloudEvent: no ce_specversion header (binary mode) and no "
                + "content-type application/cloudevents+json (structured mode)");
    }

    private ReadResult readStructured(byte[] value) {
        if (value == null || value.length == 0) {
            return new ReadResult.Unreadable("structured CloudEvent with an empty value");
        }
        try {
            return readStructured(json.readTree(value));
        } catch (IOException e) {
            return new ReadResult.Unreadable("structured CloudEvent is not valid JSON: " + firstLine(e));
        }
    }

    private ReadResult readStructured(JsonNode event) {
        if (!(event instanceof ObjectNode)) {
            return new ReadResult.Unreadable("structured CloudEvent is not a JSON object");
        }
        Function<String, String> attribute = name -> {
            JsonNode node = event.get(name);
            return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
        };
        return envelope(attribute, () -> structuredData(event));
    }

    private DataOrError structuredData(JsonNode event) {
        JsonNode base64 = event.get("data_base64");
        if (base64 != null && !base64.isNull()) {
            try {
                return parseData(Base64.getDecoder().decode(base64.asText()));
            } catch (IllegalArgumentException e) {
                return DataOrError.error("data_base64 is not base64: " + e.getMessage());
            }
        }
        JsonNode data = event.get("data");
        return DataOrError.data(data == null || data.isNull() ? null : data);
    }

    private ReadResult readBinary(byte[] value, Function<String, String> header) {
        // Tracing libraries set plain W3C traceparent/tracestate headers; honour them when there is
        // no ce_traceparent, as a pair (a tracestate belongs to its own traceparent).
        boolean plainTrace = header.apply("ce_traceparent") == null;
        Function<String, String> attribute = name -> plainTrace && TRACE_HEADERS.contains(name)
                ? header.apply(name)
                : header.apply("ce_" + name);
        return envelope(attribute,
                () -> value == null || value.length == 0 ? DataOrError.data(null) : parseData(value));
    }

    private ReadResult envelope(Function<String, String> attribute, java.util.function.Supplier<DataOrError> data) {
        String specVersion = attribute.apply("specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            return new ReadResult.Unreadable(specVersion == null
                    ? "CloudEvent without specversion"
                    : "unsupported CloudEvents specversion '" + specVersion + "', expected 1.0");
        }
        String id = attribute.apply("id");
        if (id == null || id.isBlank()) {
            return new ReadResult.Unreadable("CloudEvent without id: there is no command id to answer to");
        }
        DataOrError payload = data.get();
        String dryRun = attribute.apply("dryrun");
        return new ReadResult.Readable(new CommandEnvelope(
                id,
                attribute.apply("type"),
                attribute.apply("source"),
                attribute.apply("subject"),
                attribute.apply("time"),
                "true".equalsIgnoreCase(dryRun),
                TraceContext.of(attribute.apply("traceparent"), attribute.apply("tracestate")),
                payload.error == null ? payload.data : null,
                payload.error));
    }

    private DataOrError parseData(byte[] bytes) {
        try {
            return DataOrError.data(json.readTree(bytes));
        } catch (IOException e) {
            return DataOrError.error("data is not JSON: " + firstLine(e));
        }
    }

    /** The event, parsed once, when a value without a content-type header is a structured event; else null. */
    private JsonNode headerlessStructuredEvent(byte[] value) {
        if (value == null || value.length == 0 || value[0] != '{') {
            return null;
        }
        try {
            JsonNode node = json.readTree(value);
            return node.has("specversion") ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    private record DataOrError(JsonNode data, String error) {
        static DataOrError data(JsonNode data) {
            return new DataOrError(data, null);
        }

        static DataOrError error(String error) {
            return new DataOrError(null, error);
        }
    }

    /** Reads a header value as UTF-8, the encoding CloudEvents' Kafka binding prescribes. */
    public static String utf8(byte[] headerValue) {
        return headerValue == null ? null : new String(headerValue, StandardCharsets.UTF_8);
    }
}
