package io.flinkcommander.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.ServiceProcess;

/**
 * The service with everything it needs, on one machine: {@code ./mvnw -Psandbox verify}.
 *
 * <p>Starts a Kafka broker on 127.0.0.1:9092, a Kubernetes API with the Flink CRDs and a
 * simulated Flink operator on http://127.0.0.1:6443, creates the service's topics, then runs
 * the packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a child process on
 * http://127.0.0.1:8080. Ctrl-C stops the service, then the rest.
 *
 * <p>System properties: {@code sandbox.step-delay} (ISO-8601 duration, default {@code PT1S}):
 * how long the simulated operator takes per status step; {@code sandbox.ready-timeout}
 * (default {@code PT60S}): how long to wait for the service to report ready.
 */
public final class Sandbox {

    private static final String HOST = "127.0.0.1";
    private static final int KAFKA_PORT = 9092;
    private static final int KUBERNETES_PORT = 6443;
    private static final int SERVICE_PORT = 8080;
    private static final List<String> TOPICS = List.of("flink.commands", "flink.command-results", "flink.lifecycle",
            "flink.savepoints", "flink.scaling", "flink.commands.dlq");

    private final FlinkPlatform platform;
    private final ServiceProcess service;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private Sandbox(FlinkPlatform platform, ServiceProcess service) {
        this.platform = platform;
        this.service = service;
    }

    public static void main(String[] args) throws InterruptedException {
        logToConsole();
        Path jar = ServiceProcess.JAR.toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            exit(2, "No packaged service at " + jar + ". Build it first: ./mvnw -Psandbox verify "
                    + "(packages the service, then starts the sandbox) or ./mvnw package -DskipTests.");
        }
        Duration stepDelay = durationProperty("sandbox.step-delay", "PT1S");
        Duration readyTimeout = durationProperty("sandbox.ready-timeout", "PT60S");

        long startedAt = System.nanoTime();
        FlinkPlatform platform = startPlatform(stepDelay);
        platform.kafka().createTopics(TOPICS.toArray(String[]::new));
        Duration platformStartup = Duration.ofNanos(System.nanoTime() - startedAt);

        ServiceProcess service = ServiceProcess.start(platform.processConfig(), HOST, SERVICE_PORT, null, List.of());
        Sandbox sandbox = new Sandbox(platform, service);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::stop, "sandbox-shutdown"));

        if (!service.awaitReady(readyTimeout)) {
            sandbox.stop();
            exit(1, "The service did not report ready at " + readinessUrl() + " within " + readyTimeout
                    + (service.isAlive() ? "" : " (it exited with code " + service.exitValue() + ")")
                    + "; its output is above.");
        }
        printBanner(platform, stepDelay, platformStartup, Duration.ofNanos(System.nanoTime() - startedAt));

        int exitCode = service.waitFor();
        if (!sandbox.stopped.get()) { // else Ctrl-C: the shutdown hook is already stopping everything
            System.out.println("Sandbox: the service exited with code " + exitCode + ".");
            sandbox.stop();
        }
    }

    /**
     * Shows the simulated operator's steps (and warnings of Kafka and the API mock) on the
     * console, one line each. Inside Maven's JVM, JBoss Logging would otherwise pick Log4j 2
     * (which the Kafka broker brings along) and, unconfigured, print errors only.
     */
    private static void logToConsole() {
        System.setProperty("org.jboss.logging.provider", "jdk");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s [%3$s] %5$s%6$s%n");
    }

    private static FlinkPlatform startPlatform(Duration stepDelay) {
        try {
            return FlinkPlatform.start(KAFKA_PORT, KUBERNETES_PORT, stepDelay);
        } catch (RuntimeException e) {
            e.printStackTrace();
            exit(1, "Could not start Kafka on " + HOST + ":" + KAFKA_PORT + " and the Kubernetes API on " + HOST
                    + ":" + KUBERNETES_PORT + " (is something else listening there?): " + e);
            throw e; // not reached
        }
    }



    /** Stops the service first, so that it does not see its Kafka and Kubernetes vanish. Idempotent. */
    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (service.isAlive()) {
            System.out.println("Sandbox: stopping the service...");
            service.close();
        }
        System.out.println("Sandbox: stopping Kafka, the Kubernetes API and the simulated operator...");
        platform.close();
        System.out.println("Sandbox: stopped.");
    }

    private static void printBanner(FlinkPlatform platform, Duration stepDelay, Duration platformStartup,
            Duration totalStartup) {
        String service = "http://" + HOST + ":" + SERVICE_PORT;
        String kubernetes = platform.kubernetes().url();
        String deploy = """
                {"specversion":"1.0","id":"sandbox-deploy-1","source":"//sandbox/readme","type":"flink.job.deploy",\
                "subject":"default/orders-enricher","datacontenttype":"application/json","data":{"spec":{\
                "image":"flink:2.1","flinkVersion":"v2_1","serviceAccount":"flink",\
                "jobManager":{"resource":{"cpu":1,"memory":"1g"}},"taskManager":{"resource":{"cpu":1,"memory":"2g"}},\
                "job":{"jarURI":"local:///opt/flink/usrlib/orders.jar","parallelism":2,"upgradeMode":"savepoint",\
                "state":"running"}}}}""";
        System.out.printf("""

                ==================================================================================
                 Flink Commander sandbox is ready (platform %.1f s, all %.1f s)

                   service          %s   (/q/health, /q/metrics, /api/...)
                   Kafka            %s   topics: %s
                   Kubernetes API   %s   Flink CRDs + simulated operator (%s per step)

                 Deploy a job and wait for the command's result:
                   curl -s -X POST '%s/api/commands?wait=PT10S' \\
                     -H 'content-type: application/cloudevents+json' \\
                     -d '%s'

                 Watch the operator move it to STABLE:
                   curl -s %s/apis/flink.apache.org/v1beta1/namespaces/default/flinkdeployments/orders-enricher

                 Ctrl-C stops everything.
                ==================================================================================

                """, platformStartup.toMillis() / 1000.0, totalStartup.toMillis() / 1000.0, service,
                platform.bootstrapServers(), String.join(", ", TOPICS), kubernetes, stepDelay, service, deploy,
                kubernetes);
    }

    private static String readinessUrl() {
        return "http://" + HOST + ":" + SERVICE_PORT + "/q/health/ready";
    }

    private static Duration durationProperty(String name, String defaultValue) {
        String value = System.getProperty(name, defaultValue);
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            exit(2, "-D" + name + "=" + value + " is not an ISO-8601 duration such as PT1S or PT0.5S.");
            throw e; // not reached
        }
    }

    private static void exit(int status, String message) {
        System.err.println("Sandbox: " + message);
        System.exit(status);
    }
}
