package io.flinkcommander.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The benchmark, on the sandbox's stack: a real broker, the API test server with the CRDs, the
 * simulated operator with zero delays, and the packaged service as its own process; a fresh
 * stack for each workload. {@code ./mvnw -Pbench verify}, with {@code -Dbench.*} to choose:
 * <ul>
 * <li>W1 throughput: {@code bench.commands} (20,000) mixed commands (deploy, upgrade, scale,
 * savepoint, suspend, resume) over {@code bench.jobs} (2,000) jobs, sent as fast as the broker
 * takes them; then the baseline: the same number of writes done directly with one fabric8 client
 * at the service's concurrency ({@code bench.concurrency}, 16) against the same API server.
 * With {@code bench.profile} (true) the service and this JVM are recorded with JFR during W1.</li>
 * <li>W2 steady rate: {@code bench.rates} (200,1000) commands per second for {@code bench.seconds}
 * (60) each over {@code bench.w2.jobs} (2,000) jobs; results are awaited at most
 * {@code bench.drainSeconds} (120) after the last send.</li>
 * <li>W3 observation: {@code bench.w3.rate} (50) status writes per second for
 * {@code bench.w3.seconds} (60) over {@code bench.w3.deployments} (500) deployments, each timed
 * to its event on Kafka.</li>
 * <li>W4 scale: the service started over {@code bench.w4.deployments} (10,000) existing
 * deployments.</li>
 * </ul>
 * {@code bench.workloads} (W1,W2,W3,W4) picks which run. Writes {@code target/bench/results.json}
 * (after each workload), {@code latency.html} (self-contained, inline SVG) and PNG charts, and
 * prints a table.
 */
public final class Benchmark {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path OUT = Path.of("target", "bench");

    public static void main(String[] args) throws Exception {
        Set<String> workloads = Arrays.stream(System.getProperty("bench.workloads", "W1,W2,W3,W4").split(","))
                .map(String::trim).map(String::toUpperCase).collect(Collectors.toSet());
        int concurrency = Integer.getInteger("bench.concurrency", 16);
        Files.createDirectories(OUT);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started", Instant.now().toString());
        report.put("machine", machine());
        Map<String, Latencies> distributions = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> timelines = new LinkedHashMap<>();

        if (workloads.contains("W1")) {
            int commands = Integer.getInteger("bench.commands", 20_000);
            int jobs = Integer.getInteger("bench.jobs", 2_000);
            try (BenchStack stack = BenchStack.start(OUT, concurrency)) {
                w1(stack, commands, jobs, concurrency, report, distributions);
            }
            if (Boolean.parseBoolean(System.getProperty("bench.profile", "true"))) {
                // The service's recording is complete once its process has stopped.
                Map<String, Object> profile = new LinkedHashMap<>();
                profile.put("service", JfrSummary.of(OUT.resolve("service-w1.jfr"), 15));
                profile.put("platform", JfrSummary.of(OUT.resolve("platform-w1.jfr"), 15));
                report.put("w1Profile", profile);
            }
            save(report);
        }
        if (workloads.contains("W2")) {
            int seconds = Integer.getInteger("bench.seconds", 60);
            int jobs = Integer.getInteger("bench.w2.jobs", 2_000);
            Duration drain = Duration.ofSeconds(Integer.getInteger("bench.drainSeconds", 120));
            Map<String, Object> w2 = new LinkedHashMap<>();
            for (String rateText : System.getProperty("bench.rates", "200,1000").split(",")) {
                int rate = Integer.parseInt(rateText.trim());
                try (BenchStack stack = BenchStack.start(OUT, concurrency)) {
                    stack.startService("w2-" + rate, List.of());
                    warmUp(stack);
                    CommandRun.Outcome run = CommandRun.run(stack.platform().bootstrapServers(),
                            CommandRun.mixedLoad(rate * seconds, jobs, "w2"), rate, drain);
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> timeline = (List<Map<String, Object>>) run.figures().remove("timeline");
                    run.figures().put("jobs", jobs);
                    w2.put(String.valueOf(rate), run.figures());
                    distributions.put("W2 " + rate + "/s", run.latencies());
                    timelines.put(rate + "/s", timeline);
                    report.put("w2Timeline", timelines);
                }
                report.put("w2", w2);
                save(report);
            }
        }
        if (workloads.contains("W3")) {
            try (BenchStack stack = BenchStack.start(OUT, concurrency)) {
                CommandRun.Outcome run = ObservationLatency.run(stack, Integer.getInteger("bench.w3.deployments", 500),
                        Integer.getInteger("bench.w3.rate", 50), Integer.getInteger("bench.w3.seconds", 60));
                report.put("w3", run.figures());
                distributions.put("W3 status to event", run.latencies());
            }
            save(report);
        }
        if (workloads.contains("W4")) {
            try (BenchStack stack = BenchStack.start(OUT, concurrency)) {
                report.put("w4", ScaleStart.run(stack, Integer.getInteger("bench.w4.deployments", 10_000)));
            }
            save(report);
        }

        List<String[]> table = Report.table(report);
        Report.charts(OUT, distributions, timelines, table);
        System.out.println();
        System.out.println(Report.markdown(table));
        System.exit(0);
    }

    private static void w1(BenchStack stack, int commands, int jobs, int concurrency, Map<String, Object> report,
            Map<String, Latencies> distributions) throws Exception {
        boolean profile = Boolean.parseBoolean(System.getProperty("bench.profile", "true"));
        stack.startService("w1", List.of());
        report.put("serviceStartToReadySeconds", stack.startToReadySeconds());
        warmUp(stack);
        Recording platformRecording = null;
        if (profile) {
            stack.jcmd("JFR.start", "name=w1", "settings=profile");
            platformRecording = new Recording(Configuration.getConfiguration("profile"));
            platformRecording.start();
        }
        double serviceCpu = stack.serviceCpuSeconds();
        double platformCpu = BenchStack.platformCpuSeconds();
        CommandRun.Outcome w1 = CommandRun.run(stack.platform().bootstrapServers(),
                CommandRun.mixedLoad(commands, jobs, "w1"), 0, Duration.ofMinutes(10));
        w1.figures().put("jobs", jobs);
        serviceCpu = stack.serviceCpuSeconds() - serviceCpu;
        platformCpu = BenchStack.platformCpuSeconds() - platformCpu;
        w1.figures().put("serviceCpuSeconds", Latencies.round(serviceCpu));
        w1.figures().put("platformCpuSeconds", Latencies.round(platformCpu));
        // Less dependent on what else the machine runs than the rates are.
        w1.figures().put("serviceCpuMsPerCommand", Latencies.round(serviceCpu * 1000 / commands));
        w1.figures().put("platformCpuMsPerCommand", Latencies.round(platformCpu * 1000 / commands));
        if (profile) {
            stack.jcmd("JFR.dump", "name=w1", "filename=" + OUT.resolve("service-w1.jfr").toAbsolutePath());
            stack.jcmd("JFR.stop", "name=w1");
            platformRecording.stop();
            platformRecording.dump(OUT.resolve("platform-w1.jfr"));
            platformRecording.close();
        }
        report.put("w1", w1.figures());
        distributions.put("W1 all at once", w1.latencies());
        report.put("w1ServiceApplyMeanMs", applyTimes(stack.service().baseUrl()));
        CommandRun.Outcome baseline = Baseline.run(stack.platform().kubernetesClient(), commands, jobs, concurrency);
        report.put("baseline", baseline.figures());
        distributions.put("baseline write", baseline.latencies());
        report.put("serviceToBaselineRatio", Latencies.round(
                ((Number) w1.figures().get("commandsPerSecond")).doubleValue()
                        / ((Number) baseline.figures().get("writesPerSecond")).doubleValue()));
    }

    /** A few commands first, so the consumer group has joined and the JIT has seen the path. */
    private static void warmUp(BenchStack stack) throws Exception {
        CommandRun.run(stack.platform().bootstrapServers(), CommandRun.mixedLoad(200, 20, "warm"), 0,
                Duration.ofMinutes(2));
    }

    /** Mean validate-and-apply time per command type, from the service's own histogram. */
    private static Map<String, Object> applyTimes(String baseUrl) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> sums = new TreeMap<>();
        for (String line : metrics.split("\n")) {
            boolean sum = line.startsWith("commander_command_apply_seconds_sum");
            boolean count = line.startsWith("commander_command_apply_seconds_count");
            if (sum || count) {
                int from = line.indexOf("type=\"") + 6;
                String type = line.substring(from, line.indexOf('"', from));
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sums.computeIfAbsent(type, t -> new double[2])[sum ? 0 : 1] = value;
            }
        }
        Map<String, Object> meanMs = new LinkedHashMap<>();
        sums.forEach((type, v) -> meanMs.put(type, Latencies.round(v[0] / v[1] * 1000)));
        return meanMs;
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        machine.put("memoryGiB", Latencies.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
        machine.put("java", System.getProperty("java.version"));
        machine.put("loadAverageAtStart", Latencies.round(os.getSystemLoadAverage()));
        return machine;
    }

    private static void save(Map<String, Object> report) throws Exception {
        Files.writeString(OUT.resolve("results.json"), JSON.writeValueAsString(report));
    }

    static String spec(int parallelism) {
        return "{\"image\":\"flink:2.1\",\"flinkVersion\":\"v2_1\",\"jobManager\":{\"resource\":{\"memory\":\"1024m\","
                + "\"cpu\":1}},\"taskManager\":{\"resource\":{\"memory\":\"2048m\",\"cpu\":1}},\"job\":{\"jarURI\":"
                + "\"local:///opt/flink/usrlib/job.jar\",\"parallelism\":" + parallelism + ",\"upgradeMode\":\"savepoint\"}}";
    }
}
