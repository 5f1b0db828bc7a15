package io.flinkcommander.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.apply.CommandApplier;
import io.flinkcommander.apply.CommandContext;
import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CloudEventReader;
import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.command.CommandParser;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.command.Parsed;
import io.flinkcommander.command.ReadResult;
import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.telemetry.CommandLog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Decode, validate, apply: turns a batch of records into one {@link Handled} each.
 * <p>
 * Order: records are grouped by job ({@code <namespace>/<name>}); one job's records run one after
 * another on one thread, in the order they were read, while up to {@code max-in-flight} jobs run at
 * once. Batches themselves run one after another, so order holds across batches too.
 */
@ApplicationScoped
public class CommandProcessor {

    private final CloudEventReader reader;
    private final CommandParser parser = new CommandParser();
    private final CommandApplier applier;
    private final CommandMetrics metrics;
    private final int maxInFlight;
    private final ExecutorService workers;

    public CommandProcessor(ObjectMapper json, CommandApplier applier, CommandMetrics metrics,
            CommanderConfig config) {
        this.reader = new CloudEventReader(json);
        this.applier = applier;
        this.metrics = metrics;
        this.maxInFlight = config.apply().maxInFlight();
        AtomicInteger threads = new AtomicInteger();
        // Applying blocks on the Kubernetes API: dedicated threads, one per job in flight.
        this.workers = Executors.newFixedThreadPool(maxInFlight, r -> {
            Thread t = new Thread(r, "command-apply-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Uni<List<Handled>> process(List<InboundRecord> batch) {
        Map<String, List<Decoded>> byJob = new LinkedHashMap<>();
        for (InboundRecord record : batch) {
            Decoded decoded = decode(record);
            byJob.computeIfAbsent(decoded.orderingKey(), k -> new ArrayList<>()).add(decoded);
        }
        return Multi.createFrom().iterable(byJob.values())
                .onItem().transformToUni(job -> Uni.createFrom().item(() -> handleInOrder(job))
                        .runSubscriptionOn(workers))
                .merge(maxInFlight)
                .collect().in(ArrayList<Handled>::new, List::addAll)
                .map(handled -> (List<Handled>) handled);
    }

    private Decoded decode(InboundRecord record) {
        ReadResult read = reader.read(record.value(), record.header());
        String key = record.key();
        if (read instanceof ReadResult.Readable readable) {
            String subject = readable.envelope().subject();
            key = JobRef.parse(subject).map(JobRef::key).orElse(key);
        }
        return new Decoded(record, read, key != null ? key : record.position());
    }

    private List<Handled> handleInOrder(List<Decoded> job) {
        List<Handled> handled = new ArrayList<>(job.size());
        for (Decoded decoded : job) {
            handled.add(handle(decoded));
        }
        return handled;
    }

    private Handled handle(Decoded decoded) {
        if (decoded.read() instanceof ReadResult.Unreadable unreadable) {
            metrics.deadLettered();
            CommandLog.deadLettered(decoded.record().position(), unreadable.reason());
            return new Handled.DeadLettered(decoded.record(), unreadable.reason());
        }
        CommandEnvelope envelope = ((ReadResult.Readable) decoded.read()).envelope();
        try (CommandLog.Scope logged = CommandLog.enter(envelope)) {
            return handle(decoded, envelope);
        }
    }

    private Handled handle(Decoded decoded, CommandEnvelope envelope) {
        metrics.received(envelope.type());
        long started = System.nanoTime();
        Outcome outcome;
        Parsed parsed = parser.parse(envelope);
        if (parsed instanceof Parsed.Valid valid) {
            outcome = applier.apply(valid.command(),
                    new CommandContext(envelope.id(), decoded.record().position(), envelope.dryRun(), envelope.type(),
                            envelope.trace()));
        } else {
            outcome = Outcome.Rejected.invalid(((Parsed.Invalid) parsed).errors());
        }
        long took = System.nanoTime() - started;
        metrics.answered(envelope.type(), outcome, took);
        CommandLog.outcome(outcome, took);
        return new Handled.Answered(decoded.record(), envelope, decoded.orderingKey(), outcome);
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    private record Decoded(InboundRecord record, ReadResult read, String orderingKey) {
    }
}
