package io.flinkcommander.command;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class CloudEventReaderTest {

    private final CloudEventReader reader = new CloudEventReader(new ObjectMapper());

    private static final String STRUCTURED = """
            {"specversion":"1.0","id":"c-1","source":"//ci","type":"flink.job.suspend",
             "subject":"streaming/orders","dryrun":"true","traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
             "data":{"upgradeMode":"savepoint"}}""";

    @Test
    void readsStructuredModeFromContentType() {
        ReadResult read = reader.read(STRUCTURED.getBytes(UTF_8), headers(Map.of("content-type",
                "application/cloudevents+json; charset=UTF-8")));

        CommandEnvelope envelope = ((ReadResult.Readable) read).envelope();
        assertThat(envelope.id()).isEqualTo("c-1");
        assertThat(envelope.type()).isEqualTo("flink.job.suspend");
        assertThat(envelope.subject()).isEqualTo("streaming/orders");
        assertThat(envelope.dryRun()).isTrue();
        assertThat(envelope.trace().traceparent()).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(envelope.data().get("upgradeMode").asText()).isEqualTo("savepoint");
    }

    @Test
    void readsStructuredModeWithoutContentTypeWhenTheValueIsAnEvent() {
        ReadResult read = reader.read(STRUCTURED.getBytes(UTF_8), headers(Map.of()));

        assertThat(read).isInstanceOf(ReadResult.Readable.class);
    }

    @Test
    void readsBinaryModeFromCeHeaders() {
        ReadResult read = reader.read("{\"upgradeMode\":\"stateless\"}".getBytes(UTF_8), headers(Map.of(
                "ce_specversion", "1.0", "ce_id", "c-2", "ce_source", "//ci", "ce_type", "flink.job.suspend",
                "ce_subject", "streaming/orders")));

        CommandEnvelope envelope = ((ReadResult.Readable) read).envelope();
        assertThat(envelope.id()).isEqualTo("c-2");
        assertThat(envelope.subject()).isEqualTo("streaming/orders");
        assertThat(envelope.dryRun()).isFalse();
        assertThat(envelope.data().get("upgradeMode").asText()).isEqualTo("stateless");
    }

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void binaryModeTakesTheTraceContextFromPlainW3cHeaders() {
        ReadResult read = reader.read("{}".getBytes(UTF_8), headers(Map.of("ce_specversion", "1.0", "ce_id", "c-5",
                "ce_source", "//ci", "ce_type", "flink.job.resume", "traceparent", TRACEPARENT,
                "tracestate", "congo=t61rcWkgMzE")));

        assertThat(((ReadResult.Readable) read).envelope().trace())
                .isEqualTo(new TraceContext(TRACEPARENT, "congo=t61rcWkgMzE"));
    }

    @Test
    void binaryModePrefersTheCloudEventsTraceExtensionAndKeepsItsOwnTracestate() {
        String plain = "00-11111111111111111111111111111111-2222222222222222-01";
        ReadResult read = reader.read("{}".getBytes(UTF_8), headers(Map.of("ce_specversion", "1.0", "ce_id", "c-6",
                "ce_source", "//ci", "ce_type", "flink.job.resume", "ce_traceparent", TRACEPARENT,
                "traceparent", plain, "tracestate", "other=1")));

        assertThat(((ReadResult.Readable) read).envelope().trace()).isEqualTo(new TraceContext(TRACEPARENT, null));
    }

    @Test
    void anInvalidTraceparentIsIgnoredWithItsTracestate() {
        ReadResult read = reader.read("{}".getBytes(UTF_8), headers(Map.of("ce_specversion", "1.0", "ce_id", "c-7",
                "ce_source", "//ci", "ce_type", "flink.job.resume", "traceparent", "00-trace-span-01",
                "tracestate", "congo=t61rcWkgMzE")));

        assertThat(((ReadResult.Readable) read).envelope().trace()).isNull();
    }

    @Test
    void binaryEventWithDataThatIsNotJsonIsReadableWithADataError() {
        ReadResult read = reader.read("not json".getBytes(UTF_8), headers(Map.of(
                "ce_specversion", "1.0", "ce_id", "c-3", "ce_source", "//ci", "ce_type", "flink.job.resume")));

        CommandEnvelope envelope = ((ReadResult.Readable) read).envelope();
        assertThat(envelope.data()).isNull();
        assertThat(envelope.dataError()).startsWith("data is not JSON");
    }

    @Test
    void structuredDataBase64IsDecoded() {
        String event = """
                {"specversion":"1.0","id":"c-4","source":"//ci","type":"flink.job.resume","data_base64":"eyJhIjoxfQ=="}""";

        CommandEnvelope envelope = ((ReadResult.Readable) reader.read(event.getBytes(UTF_8), headers(Map.of())))
                .envelope();

        assertThat(envelope.data().get("a").asInt()).isEqualTo(1);
    }

    @Test
    void plainBytesAreUnreadable() {
        ReadResult read = reader.read("hello".getBytes(UTF_8), headers(Map.of()));

        assertThat(read).isEqualTo(new ReadResult.Unreadable("not a CloudEvent: no ce_specversion header "
                + "(binary mode) and no content-type application/cloudevents+json (structured mode)"));
    }

    @Test
    void truncatedStructuredEventIsUnreadable() {
        ReadResult read = reader.read(STRUCTURED.substring(0, 40).getBytes(UTF_8),
                headers(Map.of("content-type", "application/cloudevents+json")));

        assertThat(((ReadResult.Unreadable) read).reason()).startsWith("structured CloudEvent is not valid JSON");
    }

    @Test
    void eventWithoutIdIsUnreadableBecauseThereIsNothingToAnswerTo() {
        ReadResult read = reader.read("{}".getBytes(UTF_8), headers(Map.of("ce_specversion", "1.0",
                "ce_type", "flink.job.resume")));

        assertThat(read).isEqualTo(new ReadResult.Unreadable(
                "CloudEvent without id: there is no command id to answer to"));
    }

    @Test
    void otherSpecVersionsAreUnreadable() {
        ReadResult read = reader.read(null, headers(Map.of("ce_specversion", "0.3", "ce_id", "x")));

        assertThat(read).isEqualTo(new ReadResult.Unreadable("unsupported CloudEvents specversion '0.3', expected 1.0"));
    }

    private static java.util.function.Function<String, String> headers(Map<String, String> headers) {
        return headers::get;
    }
}
