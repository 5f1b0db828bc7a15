package io.flinkcommander.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.observe.LastPublished;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * W4: the service starting over many existing FlinkDeployments (made straight in the API server
 * before it starts; the simulated operator is stopped so that the API server only serves the
 * service). Measures process start to ready, to "observer caught up" (the first lifecycle and
 * job-status event of every deployment on Kafka) and to every deployment carrying its
 * last-published mark; then the heap after a full GC and the resident set size.
 */
final class ScaleStart {

    private static final String NAMESPACE = "w4";
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE_USED = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private ScaleStart() {
    }

    static Map<String, Object> run(BenchStack stack, int deployments) throws Exception {
        KubernetesClient client = stack.platform().kubernetesClient();
        stack.platform().operator().close();
        double setupSeconds = ExistingDeployments.create(client, NAMESPACE, deployments, 16);

        Set<String> lifecycles = ConcurrentHashMap.newKeySet();
        Set<String> statuses = ConcurrentHashMap.newKeySet();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("deployments", deployments);
        figures.put("setupSeconds", Latencies.round(setupSeconds));
        try (LifecycleEvents events = LifecycleEvents.follow(stack.platform().bootstrapServers(),
                (subject, type, to, arrived) -> {
                    if (LifecycleEvents.LIFECYCLE_CHANGED.equals(type)) {
                        lifecycles.add(subject);
                    } else if (LifecycleEvents.STATUS_CHANGED.equals(type)) {
                        statuses.add(subject);
                    }
                })) {
            stack.startService("w4", List.of());
            figures.put("startToReadySeconds", stack.startToReadySeconds());
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (lifecycles.size() < deployments || statuses.size() < deployments) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("observer not caught up after 10 min: " + lifecycles.size() + " / "
                            + statuses.size() + " of " + deployments);
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            figures.put("startToCaughtUpSeconds", stack.secondsSinceStart());
            figures.put("startToMarksWrittenSeconds", awaitMarks(client, deployments, stack));
        }
        long pid = stack.service().pid();
        stack.jcmd("GC.run");
        String heap = stack.jcmd("GC.heap_info");
        figures.put("heapAfterGcMiB", mebibytes(HEAP_USED.matcher(heap)));
        figures.put("metaspaceMiB", mebibytes(METASPACE_USED.matcher(heap)));
        figures.put("rssMiB", Latencies.round(rssKiB(pid) / 1024.0));
        figures.put("serviceCpuSeconds", stack.serviceCpuSeconds());
        return figures;
    }

    /** Seconds from process start until every deployment has the service's mark; polled every 5 s (a list of all is not cheap). */
    private static double awaitMarks(KubernetesClient client, int deployments, BenchStack stack) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            long marked = client.resources(FlinkDeployment.class).inNamespace(NAMESPACE).list().getItems().stream()
                    .filter(d -> d.getMetadata().getAnnotations() != null
                            && d.getMetadata().getAnnotations().containsKey(LastPublished.ANNOTATION))
                    .count();
            if (marked >= deployments) {
                return stack.secondsSinceStart();
            }
            LockSupport.parkNanos(Duration.ofSeconds(5).toNanos());
        }
        return Double.NaN;
    }

    private static Double mebibytes(Matcher kibibytes) {
        return kibibytes.find() ? Latencies.round(Long.parseLong(kibibytes.group(1)) / 1024.0) : null;
    }

    private static long rssKiB(long pid) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
