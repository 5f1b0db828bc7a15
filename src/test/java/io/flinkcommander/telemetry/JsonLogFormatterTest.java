package io.flinkcommander.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonLogFormatterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ExtLogRecord record(String message, Map<String, String> mdc) {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, message, ExtLogRecord.FormatStyle.PRINTF,
                JsonLogFormatterTest.class.getName());
        record.setLoggerName("io.flinkcommander.pipeline.CommandProcessor");
        record.setParameters(new Object[] { "FAILED" });
        record.setMdc(mdc);
        return record;
    }

    @Test
    void aRecordIsOneJsonLineWithTheMdcAsFields() throws Exception {
        String line = new JsonLogFormatter().format(record("Command %s: \"quoted\"\nsecond line",
                Map.of(CommandLog.COMMAND_ID, "deploy-1", CommandLog.SUBJECT, "default/orders")));

        assertThat(line).endsWith("\n").doesNotContain("\n\"").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("Command FAILED: \"quoted\"\nsecond line");
        assertThat(json.path("level").asText()).isEqualTo("WARNING");
        assertThat(json.path("logger").asText()).isEqualTo("io.flinkcommander.pipeline.CommandProcessor");
        assertThat(json.path("commandId").asText()).isEqualTo("deploy-1");
        assertThat(json.path("subject").asText()).isEqualTo("default/orders");
        assertThat(json.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.has("exception")).isFalse();
    }

    @Test
    void anExceptionComesWithItsStackTraceAndMdcCannotOverwriteTheRecordsFields() throws Exception {
        ExtLogRecord record = record("boom", Map.of("message", "not this", "level", "not this"));
        record.setThrown(new IllegalStateException("the cause"));

        JsonNode json = JSON.readTree(new JsonLogFormatter().format(record));

        assertThat(json.path("message").asText()).isEqualTo("boom");
        assertThat(json.path("level").asText()).isEqualTo("WARNING");
        assertThat(json.path("exception").asText()).startsWith("java.lang.IllegalStateException: the cause")
                .contains("at io.flinkcommander.telemetry.JsonLogFormatterTest");
    }

    @Test
    void theFormatterGoesOnEveryConsoleHandlerAlsoInsideWrappers() {
        ConsoleHandler direct = new ConsoleHandler();
        ConsoleHandler wrapped = new ConsoleHandler();
        ExtHandler wrapper = new ExtHandler() {
        };
        wrapper.addHandler(wrapped);
        JsonLogFormatter formatter = new JsonLogFormatter();

        int installed = JsonLogging.install(new java.util.logging.Handler[] { direct, wrapper }, formatter);

        assertThat(installed).isEqualTo(2);
        assertThat(direct.getFormatter()).isSameAs(formatter);
        assertThat(wrapped.getFormatter()).isSameAs(formatter);
    }
}
