package io.flinkcommander.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.ServiceProcess;

/** Two replicas share the commands topic; one is SIGKILLed mid-stream and the other finishes it. */
class TwoReplicasFaultIT {

    @Test
    void whenOneOfTwoReplicasIsKilledTheOtherFinishesTheStreamWithNothingLostOrRepeated() throws Exception {
        try (FaultStack stack = FaultStack.start("replicas")) {
            CommandStream stream = FaultStack.stream("replicas", 2L);
            List<ServiceProcess> replicas = stack.startServices(Map.of(), "commander-a", "commander-b");
            long started = System.nanoTime();
            CompletableFuture<Void> sending = stack.sendOver(stream, FaultStack.sendingTime());

            stack.awaitServiceWrites(stream, 0.4);
            String progress = stack.progress(stream);
            replicas.get(0).kill();
            stack.report("SIGKILL of commander-a after " + progress);
            sending.get();

            Invariants.Summary summary = stack.invariants().check(stream, FaultStack.resultTimeout(), started);
            Map<String, Long> bySource = stack.bus().outputs(FaultBus.RESULTS).stream()
                    .collect(Collectors.groupingBy(r -> String.valueOf(r.headers().get("ce_source")),
                            Collectors.counting()));
            assertThat(bySource).as("results by replica").containsKey("//flink-commander/commander-b");
            stack.report("2 replicas, one SIGKILLed; " + summary + "; results by replica " + bySource);
        }
    }
}
