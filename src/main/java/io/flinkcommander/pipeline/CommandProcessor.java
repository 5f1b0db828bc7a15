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
 * <p>
 * A command whose Kubernetes calls still fail transiently when its in-line budget runs out is
 * parked instead of answered, and so is every later command of its job until the parked ones are
 * answered ({@link InlineLane}, {@link ParkedJobs}); parked commands come back here through
 * {@link ParkedTopicConsumer} on a lane of their own.
 */
@ApplicationScoped
public class CommandProcessor {

    private final CloudEventReader reader;
    private final CommandParser parser = new CommandParser();
    private final CommandApplier applier;
    private final CommandMetrics metrics;
    private final int maxInFlight;
    private final ExecutorService workers;
    private final Lane inline;

    public CommandProcessor(ObjectMapper json, CommandApplier applier, CommandMetrics metrics,
            CommanderConfig config, ParkedJobs parkedJobs) {
        this.reader = new CloudEventReader(json);
        this.applier = applier;
        this.metrics = metrics;
        this.maxInFlight = config.apply().maxInFlight();
        // Applying blocks on the Kubernetes API: dedicated threads, one per job in flight.
        this.workers = workers("command-apply-", maxInFlight);
        this.inline = new InlineLane(workers, parkedJobs, config.apply().inlineDeadline());
    }

    /** Blocking work on the Kubernetes API: daemon threads, one per job in flight. */
    static ExecutorService workers(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The main path: commands as read from the commands topic. */
    public Uni<List<Handled>> process(List<InboundRecord> batch) {
        return process(batch, inline);
    }

    Uni<List<Handled>> process(List<InboundRecord> batch, Lane lane) {
        return Uni.createFrom().item(() -> {
            lane.beforeBatch();
            Map<String, List<Decoded>> byJob = new LinkedHashMap<>();
            for (InboundRecord record : batch) {
                Decoded decoded = decode(record);
                byJob.computeIfAbsent(decoded.orderingKey(), k -> new ArrayList<>()).add(decoded);
            }
            return byJob.values();
        }).runSubscriptionOn(lane.workers()).onItem().transformToUni(jobs -> Multi.createFrom().iterable(jobs)
                .onItem().transformToUni(job -> Uni.createFrom().item(() -> handleInOrder(job, lane))
                        .runSubscriptionOn(lane.workers()))
                .merge(maxInFlight)
                .collect().in(ArrayList<Handled>::new, List::addAll)
                .map(handled -> (List<Handled>) handled));
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

    private List<Handled> handleInOrder(List<Decoded> job, Lane lane) {
        List<Handled> handled = new ArrayList<>(job.size());
        // Once one command of the job is parked, the rest wait behind it: per-job order holds.
        String waitingFor = null;
        for (Decoded decoded : job) {
            if (waitingFor == null && decoded.read() instanceof ReadResult.Readable && lane.isParked(decoded.orderingKey())) {
                waitingFor = "earlier parked commands of " + decoded.orderingKey();
            }
            Handled one = waitingFor != null && decoded.read() instanceof ReadResult.Readable readable
                    ? parkBehind(decoded, readable.envelope(), waitingFor, lane)
                    : handle(decoded, lane);
            if (one instanceof Handled.Parked parked && waitingFor == null) {
                waitingFor = parked.record().position();
            }
            handled.add(one);
        }
        return handled;
    }

    private Handled.Parked parkBehind(Decoded decoded, CommandEnvelope envelope, String waitingFor, Lane lane) {
        if (lane.firstRead()) {
            metrics.received(envelope.type());
        }
        return lane.park(decoded.record(), envelope, decoded.orderingKey(), "waits behind " + waitingFor);
    }

    private Handled handle(Decoded decoded, Lane lane) {
        if (decoded.read() instanceof ReadResult.Unreadable unreadable) {
            metrics.deadLettered();
            CommandLog.deadLettered(decoded.record().position(), unreadable.reason());
            return new Handled.DeadLettered(decoded.record(), unreadable.reason());
        }
        CommandEnvelope envelope = ((ReadResult.Readable) decoded.read()).envelope();
        try (CommandLog.Scope logged = CommandLog.enter(envelope)) {
            return handle(decoded, envelope, lane);
        }
    }

    private Handled handle(Decoded decoded, CommandEnvelope envelope, Lane lane) {
        if (lane.firstRead()) {
            metrics.received(envelope.type());
        }
        long started = System.nanoTime();
        Outcome outcome;
        Parsed parsed = parser.parse(envelope);
        if (parsed instanceof Parsed.Valid valid) {
            outcome = applier.apply(valid.command(),
                    new CommandContext(envelope.id(), decoded.record().position(), envelope.dryRun(), envelope.type(),
                            envelope.trace()),
                    lane.budget(decoded.record()));
        } else {
            outcome = Outcome.Rejected.invalid(((Parsed.Invalid) parsed).errors());
        }
        long took = System.nanoTime() - started;
        Handled handled = lane.settle(new Handled.Answered(decoded.record(), envelope, decoded.orderingKey(), outcome));
        if (handled instanceof Handled.Answered answered) {
            metrics.answered(envelope.type(), answered.outcome(), took);
            CommandLog.outcome(answered.outcome(), took);
        } else if (handled instanceof Handled.Parked parked) {
            CommandLog.parked(parked.reason(), took);
        }
        return handled;
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    private record Decoded(InboundRecord record, ReadResult read, String orderingKey) {
    }
}
