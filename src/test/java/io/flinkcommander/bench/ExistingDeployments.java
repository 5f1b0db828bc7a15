package io.flinkcommander.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkDeploymentSpec;

/**
 * FlinkDeployments written straight to the API server with the benchmark's own client, as an
 * operator would leave them (W3, W4): no command of the service made them.
 */
final class ExistingDeployments {

    static final String STABLE = "STABLE";
    static final String RUNNING = "RUNNING";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExistingDeployments() {
    }

    static String name(int index) {
        return "existing-" + index;
    }

    /** Creates {@code count} deployments, STABLE and RUNNING, with {@code threads} writers; returns the seconds taken. */
    static double create(KubernetesClient client, String namespace, int count, int threads) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                writes.add(pool.submit(() -> {
                    for (int i = worker; i < count; i += threads) {
                        createOne(client, namespace, name(i));
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static void createOne(KubernetesClient client, String namespace, String name) {
        FlinkDeployment d = new FlinkDeployment();
        d.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        try {
            d.setSpec(JSON.readValue(Benchmark.spec(1), FlinkDeploymentSpec.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        client.resource(d).create();
        // The status is a subresource: a create does not set it.
        writeStatus(client, namespace, name, STABLE, RUNNING);
    }

    /** A merge patch of the status subresource: no resourceVersion, so it never conflicts with the service's marks. */
    static void writeStatus(KubernetesClient client, String namespace, String name, String lifecycle, String jobState) {
        var status = JSON.createObjectNode();
        var fields = status.putObject("status");
        fields.put("lifecycleState", lifecycle);
        fields.putObject("jobStatus").put("state", jobState).put("jobId", "0000000000000000000000000000000" + 1)
                .put("jobName", name);
        client.resources(FlinkDeployment.class).inNamespace(namespace).withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), status.toString());
    }
}
