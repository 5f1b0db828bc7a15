package io.flinkcommander.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.ServiceProcess;

/**
 * One workload's world: a fresh platform (broker, API test server, simulated operator with zero
 * delays) and the packaged service as its own process, so that no workload inherits another's
 * backlog or resources.
 */
final class BenchStack implements AutoCloseable {

    private final FlinkPlatform platform;
    private final Path out;
    private final int concurrency;
    private ServiceProcess service;
    private long serviceStarted;
    private double startToReadySeconds;

    private BenchStack(FlinkPlatform platform, Path out, int concurrency) {
        this.platform = platform;
        this.out = out;
        this.concurrency = concurrency;
    }

    static BenchStack start(Path out, int concurrency) {
        FlinkPlatform platform = FlinkPlatform.start(0, 0, Duration.ZERO);
        platform.kafka().createTopics(CommandRun.COMMANDS, CommandRun.RESULTS, "flink.commands.dlq",
                LifecycleEvents.TOPIC, "flink.savepoints", "flink.scaling");
        return new BenchStack(platform, out, concurrency);
    }

    FlinkPlatform platform() {
        return platform;
    }

    /** Starts the service (log in {@code service-NAME.log}) and waits until it is ready. */
    ServiceProcess startService(String name, List<String> extraJvmOptions) throws Exception {
        Map<String, String> config = new LinkedHashMap<>(platform.processConfig());
        config.put("commander.apply.max-in-flight", String.valueOf(concurrency));
        config.put("commander.instance-id", "bench-" + name);
        // As in a cluster, where the service account gives one: without a token, fabric8 7.6's
        // TokenRefreshInterceptor re-reads the whole client configuration (system properties,
        // environment, kubeconfig, service account files) before every request once the client
        // is a minute old, which took 13 % of the service's CPU in W1. The API test server
        // ignores it.
        config.put("kubernetes.auth.token", "bench");
        List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        jvm.addAll(extraJvmOptions);
        Path log = out.resolve("service-" + name + ".log");
        serviceStarted = System.nanoTime();
        service = ServiceProcess.start(config, "127.0.0.1", freePort(), log, jvm);
        if (!service.awaitReady(Duration.ofMinutes(3))) {
            throw new IllegalStateException("the service did not become ready; see " + log);
        }
        startToReadySeconds = secondsSinceStart();
        // Another process that took the port first would answer too; ours names our API server.
        String readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(service.baseUrl() + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (!readiness.contains(platform.kubernetesProxy().url())) {
            throw new IllegalStateException("something else answers on " + service.baseUrl() + "; see " + log);
        }
        return service;
    }

    ServiceProcess service() {
        return service;
    }

    double startToReadySeconds() {
        return startToReadySeconds;
    }

    /** Seconds since the service process was started. */
    double secondsSinceStart() {
        return Latencies.round((System.nanoTime() - serviceStarted) / 1e9);
    }

    /** CPU time the service process has used so far, in seconds. */
    double serviceCpuSeconds() {
        return cpuSeconds(ProcessHandle.of(service.pid()).orElseThrow());
    }

    /** CPU time this JVM (broker, API test server, operator, load generator) has used so far. */
    static double platformCpuSeconds() {
        return cpuSeconds(ProcessHandle.current());
    }

    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
    }

    /** Runs {@code jcmd <service pid> <command...>} and returns what it printed. */
    String jcmd(String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(service.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!jcmd.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + line + " failed: " + output);
        }
        return output;
    }

    /**
     * A free port below Linux's ephemeral range (32768-60999): the other processes on this machine
     * take theirs from that range (servers on port 0, outgoing connections), so a port picked
     * there can be gone before the service binds it.
     */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(12_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return port;
            } catch (IOException taken) {
                // Try another.
            }
        }
        throw new IOException("no free port between 20000 and 32000");
    }

    /** Stops the service (SIGTERM: a JFR recording is written on the way out), then the platform. */
    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        platform.close();
    }
}
