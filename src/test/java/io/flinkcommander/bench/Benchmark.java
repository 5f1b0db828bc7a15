package io.flinkcommander.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.ServiceProcess;

import org.apache.flink.v1beta1.FlinkDeployment;
import org.apache.flink.v1beta1.FlinkDeploymentSpec;

/**
 * The throughput benchmark (W1) and its baseline, on the sandbox's stack: a real broker, the API
 * test server with the CRDs, the simulated operator with zero delays, and the packaged service as
 * its own process.
 * <ul>
 * <li>W1: {@code bench.commands} mixed commands (deploy, upgrade, scale, savepoint, suspend, resume)
 * over {@code bench.jobs} jobs, sent as fast as the broker takes them; commands per second until
 * the last result is committed, and command-to-result latency.</li>
 * <li>Baseline: the same number of writes (create, then read-modify-write updates) done directly
 * with one fabric8 client at the service's concurrency against the same API server: the ceiling.</li>
 * </ul>
 * Prints a table and writes {@code target/bench/results.json}.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String RESULTS = "flink.command-results";
    private static final String COMMANDS = "flink.commands";

    public static void main(String[] args) throws Exception {
        int commands = Integer.getInteger("bench.commands", 20_000);
        int jobs = Integer.getInteger("bench.jobs", 2_000);
        int concurrency = Integer.getInteger("bench.concurrency", 16);
        Path out = Path.of("target", "bench");
        Files.createDirectories(out);

        try (FlinkPlatform platform = FlinkPlatform.start(0, 0, Duration.ZERO)) {
            platform.kafka().createTopics(COMMANDS, RESULTS, "flink.commands.dlq");
            Map<String, String> config = new LinkedHashMap<>(platform.processConfig());
            config.put("commander.apply.max-in-flight", String.valueOf(concurrency));
            config.put("commander.instance-id", "bench");
            long started = System.nanoTime();
            try (ServiceProcess service = ServiceProcess.start(config, "127.0.0.1", 18080, out.resolve("service.log"),
                    List.of("-Xmx1g"))) {
                if (!service.awaitReady(Duration.ofSeconds(90))) {
                    throw new IllegalStateException("the service did not become ready; see " + out.resolve("service.log"));
                }
                double startSeconds = (System.nanoTime() - started) / 1e9;
                Map<String, Object> report = new LinkedHashMap<>();
                report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                        "java", System.getProperty("java.version")));
                report.put("serviceStartSeconds", round(startSeconds));
                warmUp(platform);
                report.put("w1", throughput(platform, commands, jobs));
                report.put("serviceApply", applyTimes(service.baseUrl()));
                report.put("baseline", baseline(platform.kubernetesClient(), commands, jobs, concurrency));
                double ratio = ((Number) ((Map<?, ?>) report.get("w1")).get("commandsPerSecond")).doubleValue()
                        / ((Number) ((Map<?, ?>) report.get("baseline")).get("writesPerSecond")).doubleValue();
                report.put("serviceToBaselineRatio", round(ratio));
                Files.writeString(out.resolve("results.json"), JSON.writeValueAsString(report));
                printTable(report);
            }
        }
        System.exit(0);
    }

    /** Mean validate-and-apply time per command type, from the service's own histogram. */
    private static Map<String, Object> applyTimes(String baseUrl) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(baseUrl + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> sums = new java.util.TreeMap<>();
        for (String line : metrics.split("\n")) {
            boolean sum = line.startsWith("commander_command_apply_seconds_sum");
            boolean count = line.startsWith("commander_command_apply_seconds_count");
            if (sum || count) {
                String type = line.substring(line.indexOf("type=\"") + 6, line.indexOf('"', line.indexOf("type=\"") + 6));
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sums.computeIfAbsent(type, t -> new double[2])[sum ? 0 : 1] = value;
            }
        }
        Map<String, Object> meanMs = new LinkedHashMap<>();
        sums.forEach((type, v) -> meanMs.put(type, round(v[0] / v[1] * 1000)));
        return meanMs;
    }

    /** A few commands first, so the consumer group has joined and the JIT has seen the path. */
    private static void warmUp(FlinkPlatform platform) throws Exception {
        runCommands(platform, 200, 20, "warm");
    }

    private static Map<String, Object> throughput(FlinkPlatform platform, int commands, int jobs) throws Exception {
        return runCommands(platform, commands, jobs, "w1");
    }

    private static Map<String, Object> runCommands(FlinkPlatform platform, int commands, int jobs, String prefix)
            throws Exception {
        List<Command> load = mixedLoad(commands, jobs, prefix);
        Map<String, Long> sentAt = new ConcurrentHashMap<>(load.size() * 2);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        long[] latencies = new long[load.size()];
        AtomicInteger received = new AtomicInteger();

        try (KafkaConsumer<String, byte[]> results = resultConsumer(platform.bootstrapServers());
                KafkaProducer<String, byte[]> producer = producer(platform.bootstrapServers())) {
            results.subscribe(List.of(RESULTS));
            while (results.assignment().isEmpty()) {
                results.poll(Duration.ofMillis(100));
            }
            results.seekToEnd(results.assignment());
            results.assignment().forEach(results::position);

            long start = System.nanoTime();
            for (Command c : load) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(COMMANDS, c.subject(), c.event());
                record.headers().add("content-type", "application/cloudevents+json".getBytes(UTF_8));
                sentAt.put(c.id(), System.nanoTime());
                producer.send(record);
            }
            producer.flush();
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            long last = start;
            while (received.get() < load.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(200))) {
                    Header causation = r.headers().lastHeader("ce_causationid");
                    Long sent = causation == null ? null : sentAt.remove(new String(causation.value(), UTF_8));
                    if (sent == null) {
                        continue;
                    }
                    long now = System.nanoTime();
                    latencies[received.getAndIncrement()] = now - sent;
                    last = now;
                    JsonNode data = JSON.readTree(r.value());
                    outcomes.merge(data.path("outcome").asText(), 1, Integer::sum);
                }
            }
            int n = received.get();
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            double seconds = (last - start) / 1e9;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("commands", load.size());
            figures.put("jobs", jobs);
            figures.put("results", n);
            figures.put("outcomes", outcomes);
            figures.put("sendSeconds", round(sendSeconds));
            figures.put("seconds", round(seconds));
            figures.put("commandsPerSecond", round(n / seconds));
            figures.put("p50Ms", millis(sorted, 0.50));
            figures.put("p95Ms", millis(sorted, 0.95));
            figures.put("p99Ms", millis(sorted, 0.99));
            figures.put("maxMs", n == 0 ? 0 : round(sorted[n - 1] / 1e6));
            return figures;
        }
    }

    /**
     * Ten commands per job, interleaved across jobs so every batch mixes many jobs, in an order
     * that is valid for each job: deploy, upgrade, scale, savepoint, suspend, resume, ...
     */
    private static List<Command> mixedLoad(int commands, int jobs, String prefix) {
        String[][] steps = {
            {"flink.job.deploy", "{\"spec\":" + spec(1) + "}"},
            {"flink.job.upgrade", "{\"patch\":{\"job\":{\"parallelism\":2}}}"},
            {"flink.job.scale", "{\"parallelism\":3}"},
            {"flink.job.savepoint", "{}"},
            {"flink.job.suspend", "{}"},
            {"flink.job.resume", "{}"},
            {"flink.job.upgrade", "{\"patch\":{\"flinkConfiguration\":{\"taskmanager.numberOfTaskSlots\":\"2\"}}}"},
            {"flink.job.scale", "{\"parallelism\":4}"},
            {"flink.job.suspend", "{\"upgradeMode\":\"stateless\"}"},
            {"flink.job.resume", "{}"},
        };
        List<Command> load = new ArrayList<>(commands);
        for (int i = 0; load.size() < commands; i++) {
            String[] step = steps[(i / jobs) % steps.length];
            String subject = "bench/" + prefix + "-" + (i % jobs);
            String id = UUID.randomUUID().toString();
            String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"//bench\",\"type\":\"" + step[0]
                    + "\",\"subject\":\"" + subject + "\",\"data\":" + step[1] + "}";
            load.add(new Command(id, subject, event.getBytes(UTF_8)));
        }
        return load;
    }

    /** The ceiling: the same number of writes, straight to the API server, at the same concurrency. */
    private static Map<String, Object> baseline(KubernetesClient client, int writes, int jobs, int concurrency)
            throws Exception {
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
        int n = done.get();
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("writes", n);
        figures.put("concurrency", concurrency);
        figures.put("seconds", round(seconds));
        figures.put("writesPerSecond", round(n / seconds));
        figures.put("p50Ms", millis(sorted, 0.50));
        figures.put("p99Ms", millis(sorted, 0.99));
        return figures;
    }

    /** Create on the first step, then read-modify-write with resourceVersion, retrying on 409, as the service does. */
    private static void write(KubernetesClient client, String name, int step) {
        if (step == 0) {
            FlinkDeployment d = new FlinkDeployment();
            d.setMetadata(new ObjectMetaBuilder().withNamespace("baseline").withName(name).build());
            try {
                d.setSpec(JSON.readValue(spec(1), FlinkDeploymentSpec.class));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
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

    private static String spec(int parallelism) {
        return "{\"image\":\"flink:2.1\",\"flinkVersion\":\"v2_1\",\"jobManager\":{\"resource\":{\"memory\":\"1024m\","
                + "\"cpu\":1}},\"taskManager\":{\"resource\":{\"memory\":\"2048m\",\"cpu\":1}},\"job\":{\"jarURI\":"
                + "\"local:///opt/flink/usrlib/job.jar\",\"parallelism\":" + parallelism + ",\"upgradeMode\":\"savepoint\"}}";
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> resultConsumer(String bootstrap) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static double millis(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return round(sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(Map<String, Object> report) {
        Map<String, Object> w1 = (Map<String, Object>) report.get("w1");
        Map<String, Object> base = (Map<String, Object>) report.get("baseline");
        System.out.println();
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        System.out.printf("| service start to ready | %s s |%n", report.get("serviceStartSeconds"));
        System.out.printf("| W1 commands / jobs | %s / %s |%n", w1.get("commands"), w1.get("jobs"));
        System.out.printf("| W1 results, outcomes | %s, %s |%n", w1.get("results"), w1.get("outcomes"));
        System.out.printf("| W1 commands per second | %s |%n", w1.get("commandsPerSecond"));
        System.out.printf("| W1 latency p50 / p95 / p99 / max | %s / %s / %s / %s ms |%n", w1.get("p50Ms"),
                w1.get("p95Ms"), w1.get("p99Ms"), w1.get("maxMs"));
        System.out.printf("| baseline writes per second (%s threads) | %s |%n", base.get("concurrency"),
                base.get("writesPerSecond"));
        System.out.printf("| baseline write p50 / p99 | %s / %s ms |%n", base.get("p50Ms"), base.get("p99Ms"));
        System.out.printf("| service / baseline | %s |%n", report.get("serviceToBaselineRatio"));
        System.out.printf("| service mean apply time per type (ms) | %s |%n", report.get("serviceApply"));
    }

    private record Command(String id, String subject, byte[] event) {
    }
}
