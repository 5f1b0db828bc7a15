package io.flinkcommander.fault;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.LocalKafka;

/** The broker stopped in the middle of the stream and started again on the same port and data. */
class BrokerRestartFaultIT {

    /** How long the broker stays down: long enough for every client to notice, short of any timeout. */
    private static final Duration DOWNTIME = Duration.ofSeconds(5);

    @Test
    void aBrokerRestartMidStreamLosesNoResultAndRepeatsNoEffect() throws Exception {
        try (FaultStack stack = FaultStack.start("broker")) {
            CommandStream stream = FaultStack.stream("broker", 4L);
            stack.startService("commander-a", Map.of());
            long started = System.nanoTime();
            CompletableFuture<Void> sending = stack.sendOver(stream, FaultStack.sendingTime());
            LocalKafka kafka = stack.platform().kafka();

            int restarts = FaultStack.LONG ? 3 : 1;
            for (int r = 1; r <= restarts; r++) {
                stack.awaitServiceWrites(stream, 0.8 * r / (restarts + 1));
                String progress = stack.progress(stream);
                kafka.stop();
                // The fault lasts this long; nothing is being waited for.
                Thread.sleep(DOWNTIME.toMillis());
                kafka.restart();
                stack.report("broker down " + DOWNTIME.toSeconds() + " s after " + progress);
            }
            sending.get();

            Invariants.Summary summary = stack.invariants().check(stream, FaultStack.resultTimeout(), started);
            stack.report(restarts + " broker restart(s), " + stack.livenessRestarts() + " liveness restart(s); "
                    + summary);
        }
    }
}
