package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.flinkcommander.contract.EventSchemas;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The contract in kafka-topics/ checked against what the service really publishes: one job goes
 * through deploy, suspend, resume, savepoint, checkpoint, scale (job-wide and per vertex) and
 * delete, and every record about it on every outgoing topic (results, lifecycle, savepoints,
 * scaling) must match its header and data schemas.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class EmittedEventsMatchSchemasTest {

    static final String NS = "contract";
    static final String VERTEX = "bc764cd8ddf7a0cff126f51c16239658";

    static CommandBus bus;
    static EventTap tap;
    static EventSchemas schemas;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        tap = EventTap.shared();
        schemas = EventSchemas.load();
    }


    @Test
    void everyEventOfAJobsWholeLifeMatchesTheSchemasOfItsTopic() {
        String subject = NS + "/orders";
        List<String> commands = new ArrayList<>();

        // The autoscaler on: its ScalingReports add operator events and AUTOSCALER decisions.
        var spec = (com.fasterxml.jackson.databind.node.ObjectNode) CommandBus.parse(CommandFlowTest.APP_SPEC.formatted(2));
        spec.putObject("flinkConfiguration").put("job.autoscaler.enabled", "true");
        commands.add(applied("flink.job.deploy", subject, "{\"spec\":" + spec + "}"));
        awaitLifecycleTo(subject, "STABLE", 1);
        commands.add(applied("flink.job.suspend", subject, "{}"));
        awaitLifecycleTo(subject, "SUSPENDED", 1);
        commands.add(applied("flink.job.resume", subject, "{}"));
        awaitLifecycleTo(subject, "STABLE", 2);
        commands.add(applied("flink.job.savepoint", subject, "{\"formatType\":\"NATIVE\"}"));
        awaitCount(subject, "flink.savepoint.completed", 1);
        commands.add(applied("flink.job.checkpoint", subject, "{}"));
        awaitCount(subject, "flink.savepoint.completed", 2);
        commands.add(applied("flink.job.scale", subject, "{\"parallelism\":4}"));
        awaitLifecycleTo(subject, "STABLE", 3);
        commands.add(applied("flink.job.scale", subject, "{\"vertexParallelism\":{\"" + VERTEX + "\":3}}"));
        awaitLifecycleTo(subject, "STABLE", 4);
        // Two scale commands; two executed autoscaler decisions (at parallelism 2 and 4: it decides
        // again only once the job's parallelism changed).
        awaitCount(subject, "flink.scaling.decided", 2 + 2);
        commands.add(applied("flink.job.delete", subject, "{}"));
        awaitLifecycleTo(subject, "DELETED", 1);

        List<CommandBus.Received> records = new ArrayList<>();
        commands.forEach(id -> records.addAll(bus.resultsFor(id)));
        tap.about(subject).forEach(e -> records.add(e.record()));

        Set<String> types = new TreeSet<>();
        List<String> violations = new ArrayList<>();
        for (CommandBus.Received record : records) {
            types.add(record.headers().get("ce_type"));
            schemas.violations(record.headers(), record.data())
                    .forEach(v -> violations.add(record.headers().get("ce_type") + " " + record.data() + " -> " + v));
        }
        assertThat(violations).as("what the service published, against kafka-topics/schemas").isEmpty();
        assertThat(types).containsExactlyInAnyOrder("flink.command.result", "flink.job.lifecycle-changed",
                "flink.job.status-changed", "flink.job.operator-event", "flink.savepoint.triggered", "flink.savepoint.completed",
                "flink.scaling.decided");
    }

    private static String applied(String type, String subject, String data) {
        String id = bus.sendStructured(type, subject, data);
        assertThat(bus.awaitResult(id).path("outcome").asText()).as(type).isEqualTo("APPLIED");
        return id;
    }

    private static void awaitLifecycleTo(String subject, String state, int times) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(30))
                .until(() -> tap.about(subject).stream().filter(EventTap.lifecycleTo(state)).count() >= times);
    }

    private static void awaitCount(String subject, String type, int times) {
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(30))
                .until(() -> tap.about(subject, type).size() >= times);
    }
}
