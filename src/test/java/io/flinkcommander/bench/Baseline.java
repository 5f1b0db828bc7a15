package io.flinkcommander.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkDeploymentSpec;

/** The ceiling for W1: the same number of writes, straight to the API server, at the service's concurrency. */
final class Baseline {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Baseline() {
    }

    static CommandRun.Outcome run(KubernetesClient client, int writes, int jobs, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long[] latencies = new long[writes];
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            int worker = t;
            futures.add(pool.submit(() -> {
                // Each worker owns every concurrency-th job, as the service's per-job order does.
                for (int job = worker; job < jobs; job += concurrency) {
                    String name = "base-" + job;
                    for (int step = 0; step < writes / jobs; step++) {
                        long t0 = System.nanoTime();
                        write(client, name, step);
                        latencies[done.getAndIncrement()] = System.nanoTime() - t0;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        Latencies all = Latencies.of(latencies, done.get());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("writes", all.count());
        figures.put("concurrency", concurrency);
        figures.put("seconds", Latencies.round(seconds));
        figures.put("writesPerSecond", Latencies.round(all.count() / seconds));
        figures.putAll(all.figures());
        return new CommandRun.Outcome(figures, all);
    }

    /** Create on the first step, then read-modify-write with resourceVersion, retrying on 409, as the service does. */
    private static void write(KubernetesClient client, String name, int step) throws Exception {
        if (step == 0) {
            FlinkDeployment d = new FlinkDeployment();
            d.setMetadata(new ObjectMetaBuilder().withNamespace("baseline").withName(name).build());
            d.setSpec(JSON.readValue(Benchmark.spec(1), FlinkDeploymentSpec.class));
            client.resource(d).create();
            return;
        }
        while (true) {
            FlinkDeployment d = client.resources(FlinkDeployment.class).inNamespace("baseline").withName(name).get();
            d.getSpec().getJob().setParallelism((long) (step % 4) + 1);
            try {
                client.resource(d).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }
}
