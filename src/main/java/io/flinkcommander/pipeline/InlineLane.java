package io.flinkcommander.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.CommandEnvelope;

/**
 * The main path: each command gets a short in-line budget on a failing Kubernetes API; one that
 * runs out is parked, and so is every later command of its job while {@link ParkedJobs} knows of
 * unanswered parked commands of it. So a stuck job delays the batch by its budget at most, not
 * by the retry deadline.
 */
final class InlineLane implements Lane {

    private final ExecutorService workers;
    private final ParkedJobs parkedJobs;
    private final Duration budget;
    private final Clock clock = Clock.systemUTC();

    InlineLane(ExecutorService workers, ParkedJobs parkedJobs, Duration budget) {
        this.workers = workers;
        this.parkedJobs = parkedJobs;
        this.budget = budget;
    }

    @Override
    public ExecutorService workers() {
        return workers;
    }

    @Override
    public void beforeBatch() {
        // The batch before has committed (or aborted): see what is parked now, ours and others'.
        parkedJobs.refresh();
    }

    @Override
    public boolean firstRead() {
        return true;
    }

    @Override
    public boolean isParked(String job) {
        return parkedJobs.isParked(job);
    }

    @Override
    public Duration budget(InboundRecord record) {
        return budget;
    }

    @Override
    public Handled settle(Handled.Answered attempted) {
        return attempted.outcome() instanceof Outcome.Unavailable unavailable
                ? park(attempted.record(), attempted.command(), attempted.key(), unavailable.reason())
                : attempted;
    }

    @Override
    public Handled.Parked park(InboundRecord record, CommandEnvelope command, String job, String reason) {
        parkedJobs.parking(job, record.position());
        return new Handled.Parked(record, command, job, reason, clock.instant());
    }
}
