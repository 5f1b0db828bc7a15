package io.flinkcommander.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * W3: status changes written straight to the API server, timed until the matching event is on
 * Kafka. The simulated operator is stopped first: it would answer every status write with
 * writes of its own. Each change flips one field of one deployment, alternating
 * lifecycleState (STABLE/DEPLOYED: a lifecycle-changed event) and jobStatus.state
 * (RUNNING/RESTARTING: a status-changed event), round-robin over the deployments.
 */
final class ObservationLatency {

    private static final String NAMESPACE = "w3";
    private static final long INITIAL = -1;

    private ObservationLatency() {
    }

    static CommandRun.Outcome run(BenchStack stack, int deployments, double rate, int seconds) throws Exception {
        KubernetesClient client = stack.platform().kubernetesClient();
        stack.platform().operator().close();
        ExistingDeployments.create(client, NAMESPACE, deployments, 8);

        // Expected events, by subject|type|to, with when the change was written (INITIAL: the first state).
        Map<String, Long> pending = new ConcurrentHashMap<>();
        int changes = (int) (rate * seconds);
        long[] latencies = new long[changes];
        AtomicInteger matched = new AtomicInteger();
        for (int i = 0; i < deployments; i++) {
            String subject = NAMESPACE + "/" + ExistingDeployments.name(i);
            pending.put(key(subject, LifecycleEvents.LIFECYCLE_CHANGED, ExistingDeployments.STABLE), INITIAL);
            pending.put(key(subject, LifecycleEvents.STATUS_CHANGED, ExistingDeployments.RUNNING), INITIAL);
        }
        try (LifecycleEvents events = LifecycleEvents.follow(stack.platform().bootstrapServers(),
                (subject, type, to, arrived) -> {
                    Long written = pending.remove(key(subject, type, to));
                    if (written != null && written != INITIAL) {
                        latencies[matched.getAndIncrement()] = arrived - written;
                    }
                })) {
            stack.startService("w3", java.util.List.of());
            awaitEmpty(pending, Duration.ofMinutes(2), "the first state of every deployment");

            ExecutorService writers = Executors.newFixedThreadPool(4);
            long start = System.nanoTime();
            for (int k = 0; k < changes; k++) {
                long due = start + (long) (k * 1e9 / rate);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                int job = k % deployments;
                int round = k / deployments;
                writers.execute(() -> change(client, pending, job, round));
            }
            writers.shutdown();
            writers.awaitTermination(5, TimeUnit.MINUTES);
            double writeSeconds = (System.nanoTime() - start) / 1e9;
            boolean drained = awaitEmpty(pending, Duration.ofSeconds(30), null);

            Latencies all = Latencies.of(latencies, matched.get());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("deployments", deployments);
            figures.put("statusWrites", changes);
            figures.put("targetRatePerSecond", rate);
            figures.put("achievedWriteRatePerSecond", Latencies.round(changes / writeSeconds));
            figures.put("eventsMatched", matched.get());
            figures.put("eventsMissing", drained ? 0 : pending.size());
            figures.putAll(all.figures());
            return new CommandRun.Outcome(figures, all);
        }
    }

    /**
     * Per deployment, round 0 sets lifecycleState DEPLOYED, round 1 jobStatus.state RESTARTING,
     * round 2 lifecycleState STABLE, round 3 jobStatus.state RUNNING, then again. Both fields are
     * written each time; only the one that changed makes an event.
     */
    private static void change(KubernetesClient client, Map<String, Long> pending, int job, int round) {
        String name = ExistingDeployments.name(job);
        int phase = round % 4;
        String lifecycleState = phase <= 1 ? "DEPLOYED" : ExistingDeployments.STABLE;
        String jobState = phase == 1 || phase == 2 ? "RESTARTING" : ExistingDeployments.RUNNING;
        boolean lifecycle = phase % 2 == 0;
        String type = lifecycle ? LifecycleEvents.LIFECYCLE_CHANGED : LifecycleEvents.STATUS_CHANGED;
        pending.put(key(NAMESPACE + "/" + name, type, lifecycle ? lifecycleState : jobState), System.nanoTime());
        ExistingDeployments.writeStatus(client, NAMESPACE, name, lifecycleState, jobState);
    }

    private static String key(String subject, String type, String to) {
        return subject + "|" + type + "|" + to;
    }

    /** True once nothing is pending; false (or, with a description, an exception) after the timeout. */
    private static boolean awaitEmpty(Map<String, Long> pending, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                if (what == null) {
                    return false;
                }
                throw new IllegalStateException("no events for " + what + " after " + timeout + ": " + pending.size()
                        + " missing, e.g. " + pending.keySet().iterator().next());
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }
}
