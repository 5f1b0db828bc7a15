package io.flinkcommander.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The command counters and the apply-latency histogram. The {@code type} tag only ever holds a
 * known command type or {@code unknown}, so a hostile producer cannot blow up the series count.
 */
@ApplicationScoped
public class CommandMetrics {

    private final MeterRegistry registry;
    private final Counter deadLettered;
    private final Timer endToEnd;

    public CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.deadLettered = Counter.builder("commander.commands.dead.lettered")
                .description("Records that were not readable commands, sent to the dead-letter topic")
                .register(registry);
        this.endToEnd = Timer.builder("commander.command.end.to.end")
                .description("From the command record's Kafka timestamp to its result committed")
                // Buckets up to 10 minutes: a backlog of commands is measured, not cut off at 30 s.
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
    }

    void received(String type) {
        Counter.builder("commander.commands.received").description("Commands read from the commands topic")
                .tag("type", typeTag(type)).register(registry).increment();
    }

    void answered(String type, Outcome outcome, long applyNanos) {
        String tag = typeTag(type);
        Counter.builder("commander.command.results").description("Results by command type and outcome")
                .tag("type", tag).tag("outcome", outcome.name()).register(registry).increment();
        Timer.builder("commander.command.apply").description("Time to validate and apply one command")
                .tag("type", tag).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(registry)
                .record(applyNanos, TimeUnit.NANOSECONDS);
    }

    /** The batch's transaction committed: every record's result is now visible. */
    void committed(java.util.List<InboundRecord> records) {
        long now = System.currentTimeMillis();
        for (InboundRecord record : records) {
            if (record.timestamp() != null) {
                endToEnd.record(Math.max(0, now - record.timestamp().toEpochMilli()), TimeUnit.MILLISECONDS);
            }
        }
    }

    void deadLettered() {
        deadLettered.increment();
    }

    private static String typeTag(String type) {
        return CommandType.fromWire(type).map(CommandType::wireName).orElse("unknown");
    }
}
