package io.flinkcommander.fault;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.ServiceProcess;

/**
 * One scenario's world: the platform (broker, Kubernetes API, simulated operator with no step
 * delay), the packaged service as child processes (each one's output in
 * {@code target/faults/<scenario>/<instance>-<n>.log}), and the test's {@link FaultBus}.
 *
 * <p>The service runs with its production settings plus two that make a dead replica's absence
 * short, so the short suite stays short: a consumer session of 6 s (the broker's minimum; the
 * client default is 45 s) and a transaction timeout of 10 s (default 60 s) after which the broker
 * aborts a killed replica's open transaction, which otherwise holds back every
 * {@code read_committed} reader of the results topic.
 */
final class FaultStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FaultStack.class);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final String scenario;
    private final FlinkPlatform platform;
    private final FaultBus bus;
    private final Path logs;
    /** Every replica started, the kubelet's restarts included; read by the kubelet's thread too. */
    private final List<Replica> replicas = new CopyOnWriteArrayList<>();
    private final AtomicLong serviceWrites = new AtomicLong();
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fault-kubelet");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger livenessRestarts = new AtomicInteger();

    /** A started process with what started it, so that the kubelet can start it again the same way. */
    private record Replica(ServiceProcess process, String instanceId, Map<String, String> extraConfig, Path log) {
    }

    private FaultStack(String scenario, FlinkPlatform platform, FaultBus bus, Path logs) {
        this.scenario = scenario;
        this.platform = platform;
        this.bus = bus;
        this.logs = logs;
        platform.kubernetes().traffic().addListener(request -> {
            if (request.fromService() && (request.method().equals("POST") || request.method().equals("PUT"))
                    && request.path().contains("/apis/flink.apache.org/")) {
                serviceWrites.incrementAndGet();
            }
        });
        kubelet.scheduleWithFixedDelay(this::probeLiveness, LIVENESS_PERIOD.toMillis(), LIVENESS_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * k8s/deployment.yaml's liveness probe, ten times as often: a replica whose
     * {@code /q/health/live} answers 503 {@value #LIVENESS_FAILURE_THRESHOLD} times in a row is
     * stopped and started again with the same instance id, as the kubelet would restart its
     * container. (A refused connection is not counted: Kubernetes' startup probe covers a JVM
     * still starting; a dead process is the scenario's business.)
     */
    private void probeLiveness() {
        for (Replica replica : replicas) {
            ServiceProcess process = replica.process();
            try {
                int failures = 0;
                while (process.isAlive() && process.livenessStatus() == 503) {
                    if (++failures == LIVENESS_FAILURE_THRESHOLD) {
                        process.close();
                        livenessRestarts.incrementAndGet();
                        LOG.infof("%s: %s is not live; restarted", scenario, replica.instanceId());
                        awaitReady(launch(replica.instanceId(), replica.extraConfig()));
                        break;
                    }
                    Thread.sleep(LIVENESS_PERIOD.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf(e, "%s: the liveness probe of %s failed", scenario, replica.instanceId());
            }
        }
    }

    private static final Duration LIVENESS_PERIOD = Duration.ofSeconds(1);
    private static final int LIVENESS_FAILURE_THRESHOLD = 3;

    /** How many replicas the kubelet restarted because their liveness was down. */
    int livenessRestarts() {
        return livenessRestarts.get();
    }

    /** {@code -Dfaults.long=true}: ten times the jobs, more commands per job and more faults. */
    static final boolean LONG = Boolean.getBoolean("faults.long");

    /** The scenario's stream: 10 jobs x 10 commands, or 100 x 15 in the long version. */
    static CommandStream stream(String scenario, long seed) {
        return LONG ? CommandStream.generate(scenario, "fault-" + scenario, 100, 15, seed)
                : CommandStream.generate(scenario, "fault-" + scenario, 10, 10, seed);
    }

    /**
     * How long the stream takes to send: slower than the service could go, so that it works
     * through small batches while faults hit it, rather than one big batch before or after them.
     */
    static Duration sendingTime() {
        return LONG ? Duration.ofSeconds(150) : Duration.ofSeconds(15);
    }

    /** How long a scenario may take to get every result. */
    static Duration resultTimeout() {
        return LONG ? Duration.ofMinutes(15) : Duration.ofMinutes(3);
    }

    static FaultStack start(String scenario) {
        Path logs = Path.of("target", "faults", scenario);
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FlinkPlatform platform = FlinkPlatform.start(0, 0, Duration.ZERO);
        // Before any client subscribes, or its metadata requests auto-create them first.
        FaultBus.createTopics(platform.kafka());
        FaultBus bus = new FaultBus(platform.bootstrapServers());
        return new FaultStack(scenario, platform, bus, logs);
    }

    FlinkPlatform platform() {
        return platform;
    }

    FaultBus bus() {
        return bus;
    }

    Invariants invariants() {
        return new Invariants(bus, platform.kubernetesClient(), platform.operator());
    }

    /** Starts replicas side by side and waits until all are ready. */
    List<ServiceProcess> startServices(Map<String, String> extraConfig, String... instanceIds) {
        List<ServiceProcess> started = new ArrayList<>();
        for (String id : instanceIds) {
            started.add(launch(id, extraConfig));
        }
        started.forEach(this::awaitReady);
        return started;
    }

    /** Starts a replica and waits until it is ready. */
    ServiceProcess startService(String instanceId, Map<String, String> extraConfig) {
        ServiceProcess service = launch(instanceId, extraConfig);
        awaitReady(service);
        return service;
    }

    private ServiceProcess launch(String instanceId, Map<String, String> extraConfig) {
        Map<String, String> config = new LinkedHashMap<>(platform.processConfig());
        config.put("commander.instance-id", instanceId);
        config.put("mp.messaging.incoming.commands.session.timeout.ms", "6000");
        config.put("mp.messaging.incoming.commands.heartbeat.interval.ms", "1000");
        config.put("mp.messaging.outgoing.command-results.transaction.timeout.ms", "10000");
        config.putAll(extraConfig);
        Path log = logs.resolve(instanceId + "-" + replicas.size() + ".log");
        ServiceProcess service = ServiceProcess.start(config, "127.0.0.1", freePort(), log,
                List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"));
        replicas.add(new Replica(service, instanceId, Map.copyOf(extraConfig), log));
        return service;
    }

    private void awaitReady(ServiceProcess service) {
        Path log = replicas.stream().filter(r -> r.process() == service).findFirst().orElseThrow().log();
        try {
            if (!service.awaitReady(READY_TIMEOUT)) {
                throw new IllegalStateException(scenario + ": the service did not become ready; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        LOG.infof("%s: service ready (pid %d, log %s)", scenario, service.pid(), log);
    }

    /**
     * Sends the stream in the background, spread over {@code over}, so that faults injected while
     * it runs land in the middle of it. Each send waits for the broker's acknowledgement: across
     * a broker restart it blocks and carries on, the idempotent producer writing each command once.
     */
    CompletableFuture<Void> sendOver(CommandStream stream, Duration over) {
        long pauseNanos = over.toNanos() / Math.max(1, stream.commands().size());
        return CompletableFuture.runAsync(() -> {
            long next = System.nanoTime();
            for (FaultCommand command : stream.commands()) {
                bus.send(command);
                next += pauseNanos;
                // Pacing the sender, not waiting for anything to happen.
                LockSupport.parkNanos(next - System.nanoTime());
            }
        });
    }

    /**
     * Waits until the service has sent {@code share} of the stream's worth of resource writes
     * (creates and updates of Flink resources) to the Kubernetes API. A fault injected then lands
     * in the middle of the stream and, most likely, in the middle of a batch: effects written,
     * results not yet committed. (Waiting for results instead would often see none and then all at
     * once, as a busy service commits big batches.)
     */
    void awaitServiceWrites(CommandStream stream, double share) {
        long wanted = (long) Math.ceil(stream.commands().size() * share);
        await(scenario + ": " + wanted + " writes").atMost(resultTimeout())
                .pollInterval(Duration.ofMillis(20)).until(() -> serviceWrites.get() >= wanted);
    }

    /** Where the stream is now, for the report: writes sent to the API, results committed. */
    String progress(CommandStream stream) {
        return serviceWrites.get() + " resource writes, " + bus.answered(stream.ids()) + "/"
                + stream.commands().size() + " results";
    }

    /** Logs a scenario's figures and appends them to {@code target/faults/summary.txt}. */
    void report(String figures) {
        String line = scenario + (LONG ? " (long)" : "") + ": " + figures;
        LOG.info(line);
        try {
            Files.writeString(logs.getParent().resolve("summary.txt"), line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything every replica of this scenario printed so far. */
    String serviceOutput() {
        StringBuilder all = new StringBuilder();
        for (Replica replica : replicas) {
            try {
                all.append(Files.readString(replica.log(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kubelet.shutdownNow();
        kubelet.awaitTermination(30, TimeUnit.SECONDS);
        replicas.forEach(replica -> replica.process().close());
        bus.close();
        platform.close();
    }
}
