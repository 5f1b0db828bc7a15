package io.flinkcommander.telemetry;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * One JSON object per line, for log collectors: {@code timestamp}, {@code level}, {@code logger},
 * {@code thread}, {@code message}, the MDC entries as top-level fields (so {@code commandId},
 * {@code subject}, {@code commandType} and {@code traceId} are searchable), and {@code exception}
 * with the stack trace when there is one.
 */
public final class JsonLogFormatter extends ExtFormatter {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(ExtLogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("thread", record.getThreadName());
            json.writeStringField("message", formatMessage(record));
            Map<String, String> mdc = new TreeMap<>(record.getMdcCopy());
            for (Map.Entry<String, String> entry : mdc.entrySet()) {
                if (!isReserved(entry.getKey())) {
                    json.writeStringField(entry.getKey(), entry.getValue());
                }
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a log record as JSON", e);
        }
        return out.append('\n').toString();
    }

    /** An MDC key must not overwrite the record's own fields. */
    private static boolean isReserved(String key) {
        return switch (key) {
            case "timestamp", "level", "logger", "thread", "message", "exception" -> true;
            default -> false;
        };
    }
}
