package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.telemetry.CommandLog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every line logged while a command is handled names it: id, type, subject and trace id in the MDC. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class CommandLoggingTest {

    static final String NS = "logged";
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** Lines as logged, with the MDC copied on the thread that logged them. */
    final List<ExtLogRecord> lines = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = (ExtLogRecord) record;
            ext.copyAll();
            lines.add(ext);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    final Logger service = Logger.getLogger("io.flinkcommander");
    CommandBus bus;

    @BeforeEach
    void capture() {
        bus = CommandBus.shared();
        service.addHandler(capture);
    }

    @AfterEach
    void release() {
        service.removeHandler(capture);
        FlinkPlatformTestResource.platform().kubernetesProxy().passThrough();
    }

    List<ExtLogRecord> linesAbout(String commandId) {
        return lines.stream().filter(r -> commandId.equals(r.getMdc(CommandLog.COMMAND_ID))).toList();
    }

    @Test
    void theOutcomeLineOfEachCommandCarriesItsIdTypeSubjectAndTraceId() {
        String deploy = bus.sendBinary("flink.job.deploy", NS + "/orders",
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}", Map.of("traceparent", TRACEPARENT));
        String rejected = bus.sendBinary("flink.job.scale", NS + "/other", "{\"parallelism\":0}");
        bus.awaitResult(deploy);
        bus.awaitResult(rejected);

        await().atMost(Duration.ofSeconds(5)).until(() -> !linesAbout(rejected).isEmpty());
        ExtLogRecord applied = linesAbout(deploy).stream()
                .filter(r -> r.getFormattedMessage().startsWith("Command APPLIED")).findFirst().orElseThrow();
        assertThat(applied.getMdc(CommandLog.SUBJECT)).isEqualTo(NS + "/orders");
        assertThat(applied.getMdc(CommandLog.COMMAND_TYPE)).isEqualTo("flink.job.deploy");
        assertThat(applied.getMdc(CommandLog.TRACE_ID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(applied.getThreadName()).startsWith("command-apply-");
        ExtLogRecord rejection = linesAbout(rejected).get(0);
        assertThat(rejection.getFormattedMessage()).startsWith("Command REJECTED (Invalid)")
                .contains("data.parallelism");
        assertThat(rejection.getMdc(CommandLog.SUBJECT)).isEqualTo(NS + "/other");
        assertThat(rejection.getMdc(CommandLog.TRACE_ID)).isNull();
    }

    @Test
    void aRetryWhileApplyingIsLoggedWithTheCommandItBelongsTo() {
        FlinkPlatform platform = FlinkPlatformTestResource.platform();
        platform.kubernetesProxy().failWith(503);
        String id = bus.sendBinary("flink.job.deploy", NS + "/retried",
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> linesAbout(id).stream().anyMatch(r -> r.getFormattedMessage().contains("retrying in")));
        platform.kubernetesProxy().passThrough();

        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        ExtLogRecord retry = linesAbout(id).stream().filter(r -> r.getFormattedMessage().contains("retrying in"))
                .findFirst().orElseThrow();
        assertThat(retry.getLoggerName()).isEqualTo("io.flinkcommander.apply.KubernetesCalls");
        assertThat(retry.getFormattedMessage()).contains("HTTP 503");
        assertThat(retry.getMdc(CommandLog.SUBJECT)).isEqualTo(NS + "/retried");
    }

    @Test
    void linesLoggedOutsideACommandCarryNoCommand() {
        String id = bus.sendBinary("flink.job.deploy", NS + "/quiet", "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}");
        bus.awaitResult(id);
        // The same pooled worker threads log a dead letter next: no command id may linger there.
        bus.sendRaw(NS + "/garbage", "garbage".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream()
                .anyMatch(r -> r.getFormattedMessage().contains("not a readable command")));
        ExtLogRecord deadLetter = lines.stream().filter(r -> r.getFormattedMessage().contains("not a readable command"))
                .findFirst().orElseThrow();
        assertThat(deadLetter.getMdcCopy()).doesNotContainKeys(CommandLog.COMMAND_ID, CommandLog.SUBJECT);
    }
}
