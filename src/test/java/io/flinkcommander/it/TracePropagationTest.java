package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.flinkcommander.contract.EventSchemas;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A command's W3C trace context reaches everything it causes: its result and the events the
 * observer publishes about the change, also after a later command without a trace context.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class TracePropagationTest {

    static final String NS = "traced";
    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
    static final String LIFECYCLE = "flink.job.lifecycle-changed";

    static CommandBus bus;
    static EventTap tap;

    @BeforeAll
    static void connect() {
        FlinkPlatformTestResource.platform();
        bus = CommandBus.shared();
        tap = EventTap.shared();
    }

    static String deployData() {
        return "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}";
    }

    @Test
    void theResultCarriesTheCommandsTraceContextAsExtensionAndAsW3cHeaders() {
        String id = bus.sendBinary("flink.job.deploy", NS + "/result", deployData(),
                Map.of("traceparent", TRACEPARENT, "tracestate", TRACESTATE));
        bus.awaitResult(id);

        Map<String, String> headers = bus.resultsFor(id).get(0).headers();

        assertThat(headers).containsEntry("ce_traceparent", TRACEPARENT).containsEntry("traceparent", TRACEPARENT)
                .containsEntry("ce_tracestate", TRACESTATE).containsEntry("tracestate", TRACESTATE);
        assertThat(EventSchemas.load().violations(headers, bus.resultsFor(id).get(0).data())).isEmpty();
    }

    @Test
    void lifecycleEventsCausedByATracedCommandCarryItsTraceContext() {
        String id = bus.sendBinary("flink.job.deploy", NS + "/orders", deployData(),
                Map.of("ce_traceparent", TRACEPARENT));
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");

        tap.await(NS + "/orders", lifecycleTo("STABLE"));

        List<EventTap.Event> lifecycle = tap.about(NS + "/orders", LIFECYCLE);
        assertThat(lifecycle).extracting(e -> e.field("to")).containsExactly("CREATED", "DEPLOYED", "STABLE");
        assertThat(lifecycle).allSatisfy(e -> {
            assertThat(e.header("ce_causationid")).isEqualTo(id);
            assertThat(e.header("ce_traceparent")).isEqualTo(TRACEPARENT);
            assertThat(e.header("traceparent")).isEqualTo(TRACEPARENT);
            assertThat(e.header("tracestate")).isNull();
        });
        EventSchemas schemas = EventSchemas.load();
        assertThat(lifecycle).allSatisfy(e -> assertThat(schemas.violations(e.record().headers(), e.record().data()))
                .isEmpty());
        assertThat(tap.about(NS + "/orders", "flink.job.status-changed"))
                .allSatisfy(e -> assertThat(e.header("traceparent")).isEqualTo(TRACEPARENT));
    }

    @Test
    void eventsCausedByALaterUntracedCommandCarryNoTraceContext() {
        bus.awaitResult(bus.sendBinary("flink.job.deploy", NS + "/later", deployData(),
                Map.of("traceparent", TRACEPARENT)));
        tap.await(NS + "/later", lifecycleTo("STABLE"));

        String suspend = bus.sendBinary("flink.job.suspend", NS + "/later", "{}");
        bus.awaitResult(suspend);
        EventTap.Event suspended = tap.await(NS + "/later", lifecycleTo("SUSPENDED"));

        assertThat(suspended.header("ce_causationid")).isEqualTo(suspend);
        assertThat(suspended.header("traceparent")).isNull();
        assertThat(suspended.header("ce_traceparent")).isNull();
    }

    @Test
    void snapshotEventsCarryTheTraceContextOfTheSavepointCommand() {
        bus.awaitResult(bus.sendBinary("flink.job.deploy", NS + "/snap", deployData()));
        tap.await(NS + "/snap", lifecycleTo("STABLE"));
        String other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        String savepoint = bus.sendBinary("flink.job.savepoint", NS + "/snap", "{}", Map.of("traceparent", other));
        bus.awaitResult(savepoint);
        EventTap.Event completed = tap.await(NS + "/snap", e -> "flink.savepoint.completed".equals(e.type()));

        assertThat(completed.header("ce_causationid")).isEqualTo(savepoint);
        assertThat(completed.header("traceparent")).isEqualTo(other);
        assertThat(tap.about(NS + "/snap", "flink.savepoint.triggered"))
                .allSatisfy(e -> assertThat(e.header("traceparent")).isEqualTo(other));
    }
}
