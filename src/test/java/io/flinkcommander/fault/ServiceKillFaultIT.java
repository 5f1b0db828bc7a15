package io.flinkcommander.fault;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.ServiceProcess;

/** The service SIGKILLed in the middle of a stream of commands, then started again. */
class ServiceKillFaultIT {

    @Test
    void aServiceKilledMidStreamAndRestartedLosesNoResultAndRepeatsNoEffect() throws Exception {
        try (FaultStack stack = FaultStack.start("kill")) {
            CommandStream stream = FaultStack.stream("kill", 1L);
            ServiceProcess service = stack.startService("commander-a", Map.of());
            long started = System.nanoTime();
            CompletableFuture<Void> sending = stack.sendOver(stream, FaultStack.sendingTime());

            // One kill in the short version, three in the long one, each after more of the stream.
            int kills = FaultStack.LONG ? 3 : 1;
            for (int k = 1; k <= kills; k++) {
                stack.awaitServiceWrites(stream, 0.8 * k / (kills + 1));
                service.kill();
                stack.report("SIGKILL after " + stack.progress(stream));
                // The same instance id: the new process fences the dead one's open transaction at once.
                service = stack.startService("commander-a", Map.of());
            }
            sending.get();

            Invariants.Summary summary = stack.invariants().check(stream, FaultStack.resultTimeout(), started);
            stack.report(kills + " SIGKILL(s) + restart; " + summary);
        }
    }
}
