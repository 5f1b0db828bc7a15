package io.flinkcommander.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.FaultyProxy;
import io.flinkcommander.fixture.KubernetesTraffic;
import io.flinkcommander.fixture.KubernetesTraffic.Fault;
import io.flinkcommander.fixture.KubernetesTraffic.FaultRule;

/**
 * The Kubernetes API failing under the stream: a share of the service's requests answered 500,
 * its writes answered 409, others answered late, then connections dropped and refused at the
 * proxy, then everything cleared.
 *
 * <p>The shares are chosen so that no command runs out of retries (the service retries 5xx and
 * broken connections for {@code retry-deadline}, 30 s, and re-reads after a 409 up to 10 times):
 * every command must end APPLIED, and the invariants check that the retried writes took effect
 * once. (A command that did run out would be FAILED, and a FAILED write may or may not have
 * reached the API server before its answer was lost, so the model could not say what it did.)
 */
class KubernetesApiFaultIT {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Duration STATUS_FAULTS = Duration.ofSeconds(FaultStack.LONG ? 60 : 0);

    @Test
    void theKubernetesApiFailingMidStreamLosesNoResultAndRepeatsNoEffect() throws Exception {
        try (FaultStack stack = FaultStack.start("kubernetes")) {
            CommandStream stream = FaultStack.stream("kubernetes", 3L);
            stack.startService("commander-a", Map.of());
            KubernetesTraffic traffic = stack.platform().kubernetes().traffic();
            FaultyProxy proxy = stack.platform().kubernetesProxy();
            long started = System.nanoTime();
            CompletableFuture<Void> sending = stack.sendOver(stream, FaultStack.sendingTime());

            stack.awaitServiceWrites(stream, 0.15);
            traffic.injectFaults(
                    FaultRule.everyRequest(0.15, new Fault.Respond(500)),
                    new FaultRule(request -> WRITES.contains(request.method()), 0.25, new Fault.Respond(409)),
                    FaultRule.everyRequest(0.1, new Fault.Respond(503)),
                    FaultRule.everyRequest(0.2, new Fault.Delay(Duration.ofMillis(300))));
            stack.awaitServiceWrites(stream, 0.4);
            // Connection level: every open connection cut and new ones dropped, then a third refused.
            proxy.dropConnections();
            Thread.sleep(2_000); // the fault lasts this long; nothing is being waited for
            proxy.failFraction(0.3, 503);
            Thread.sleep(3_000 + STATUS_FAULTS.toMillis()); // as above
            proxy.passThrough();
            stack.awaitServiceWrites(stream, 0.7);
            traffic.clearFaults();
            sending.get();

            Invariants.Summary summary = stack.invariants().check(stream, FaultStack.resultTimeout(), started);
            assertThat(traffic.faultsInjected()).as("requests faulted").isPositive();
            assertThat(proxy.faultsInjected()).as("connections faulted").isPositive();
            stack.report(traffic.faultsInjected() + " requests faulted (500/503/409/delay), "
                    + proxy.faultsInjected() + " connections dropped or refused; " + summary);
        }
    }
}
