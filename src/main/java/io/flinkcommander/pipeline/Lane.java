package io.flinkcommander.pipeline;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * Where {@link CommandProcessor} runs a batch and what becomes of a command the Kubernetes API
 * keeps failing: the main path parks it after a short budget ({@link InlineLane}); the parked
 * path retries it until its deadline and then answers FAILED ({@link ParkedTopicConsumer}).
 * Each lane has its own threads, so stuck parked commands never take a thread from healthy jobs.
 */
interface Lane {

    ExecutorService workers();

    /** Runs once per batch, on a worker thread, before any of its commands. */
    void beforeBatch();

    /** Whether records are read here for the first time (so counted as received). */
    boolean firstRead();

    /** Whether the job has parked commands not answered yet, so its next one must be parked too. */
    boolean isParked(String job);

    /** How long this command's Kubernetes calls may retry transient failures, all together. */
    Duration budget(InboundRecord record);

    /** What becomes of an attempted command: its answer, or parked. */
    Handled settle(Handled.Answered attempted);

    /** Parks a command without trying it, because an earlier command of its job is parked. */
    Handled.Parked park(InboundRecord record, io.flinkcommander.command.CommandEnvelope command, String job,
            String reason);
}
