package io.flinkcommander.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.KubernetesTraffic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * What Prometheus scrapes at {@code /q/metrics}: every metric README's Metrics table lists, and
 * values that follow what the service does.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class MetricsTest {

    static final String NS = "metered";
    static final String COMMANDS_TOPIC = CommandBus.COMMANDS;

    static CommandBus bus;
    static KubernetesClient kubernetes;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
    }

    @AfterEach
    void heal() {
        FlinkPlatformTestResource.platform().kubernetesProxy().passThrough();
        FlinkPlatformTestResource.platform().kubernetes().traffic().clearFaults();
    }

    /** One row of README's Metrics table. */
    record Documented(String name, String type, List<String> labels) {
    }

    /** Rows of README's "## Metrics" table: `name` | type | labels | what. */
    static List<Documented> documented() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Metrics\n");
        assertThat(start).as("README has a Metrics section").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        List<Documented> rows = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_:]+)` \\| (\\w+) \\| ([^|]*) \\|")
                .matcher(readme.substring(start, end < 0 ? readme.length() : end));
        while (row.find()) {
            List<String> labels = new ArrayList<>();
            Matcher label = Pattern.compile("`(\\w+)`").matcher(row.group(3));
            while (label.find()) {
                labels.add(label.group(1));
            }
            rows.add(new Documented(row.group(1), row.group(2), labels));
        }
        return rows;
    }

    /** One sample line of the exposition format. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    static List<Sample> scrape() {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<Sample> samples = new ArrayList<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
        Pattern label = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String text : body.split("\n")) {
            Matcher m = line.matcher(text);
            if (text.startsWith("#") || !m.find()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = label.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return samples;
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}; 0 when there are none. */
    static double value(String name, Map<String, String> labels) {
        return scrape().stream().filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    static String deploy(String name) {
        return bus.sendStructured("flink.job.deploy", NS + "/" + name,
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}");
    }

    @Test
    void everyMetricReadmeListsIsServedWithItsLabels() throws IOException {
        // Some series appear only once something happened: a command, an event, an API error.
        FlinkPlatformTestResource.platform().kubernetesProxy().failWith(503);
        String id = deploy("listed");
        await().atMost(Duration.ofSeconds(10)).until(() -> value("commander_kubernetes_api_errors_total",
                Map.of("code", "503")) > 0);
        FlinkPlatformTestResource.platform().kubernetesProxy().passThrough();
        bus.awaitResult(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> value("commander_events_published_total", Map.of()) > 0
                && value("commander_command_end_to_end_seconds_count", Map.of()) > 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().stream()
                .anyMatch(s -> s.name().equals("commander_command_consumer_lag")));

        List<Documented> documented = documented();
        List<Sample> samples = scrape();

        assertThat(documented).extracting(Documented::name).contains("commander_command_results_total",
                "commander_command_consumer_lag", "commander_jobs");
        for (Documented metric : documented) {
            String sampled = metric.type().equals("histogram") ? metric.name() + "_bucket" : metric.name();
            List<Sample> series = samples.stream().filter(s -> s.name().equals(sampled)).toList();
            assertThat(series).as("%s at /q/metrics", sampled).isNotEmpty();
            assertThat(series).as("labels of %s", metric.name()).allSatisfy(s -> {
                List<String> labels = new ArrayList<>(s.labels().keySet());
                labels.remove("le");
                assertThat(labels).containsExactlyInAnyOrderElementsOf(metric.labels());
            });
            if (metric.type().equals("histogram")) {
                assertThat(samples).as("%s count and sum", metric.name()).extracting(Sample::name)
                        .contains(metric.name() + "_count", metric.name() + "_sum");
                assertThat(series.stream().map(s -> s.labels().get("le")).distinct().count())
                        .as("%s has buckets", metric.name()).isGreaterThan(10);
            }
        }
    }

    @Test
    void aResultCountsForItsTypeAndOutcome() {
        Map<String, String> appliedDeploys = Map.of("type", "flink.job.deploy", "outcome", "APPLIED");
        Map<String, String> rejectedScales = Map.of("type", "flink.job.scale", "outcome", "REJECTED");
        double applied = value("commander_command_results_total", appliedDeploys);
        double rejected = value("commander_command_results_total", rejectedScales);
        double applyTimes = value("commander_command_apply_seconds_count", Map.of("type", "flink.job.deploy"));

        bus.awaitResult(deploy("counted"));
        bus.awaitResult(bus.sendStructured("flink.job.scale", NS + "/counted", "{\"parallelism\":0}"));

        assertThat(value("commander_command_results_total", appliedDeploys)).isEqualTo(applied + 1);
        assertThat(value("commander_command_results_total", rejectedScales)).isEqualTo(rejected + 1);
        assertThat(value("commander_command_apply_seconds_count", Map.of("type", "flink.job.deploy")))
                .isEqualTo(applyTimes + 1);
    }

    @Test
    void consumerLagCountsACommandStillBeingAppliedAndReturnsToZero() {
        // Slow, not failing: a failing API would get the command parked (and committed) within
        // the in-line budget, too briefly for a lag sampled every second.
        FlinkPlatformTestResource.platform().kubernetes().traffic().injectFaults(new KubernetesTraffic.FaultRule(
                request -> request.fromService() && request.path().contains("/namespaces/" + NS + "/flinkdeployments"),
                1.0, new KubernetesTraffic.Fault.Delay(Duration.ofSeconds(3))));
        String id = deploy("lagging");

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> value("commander_command_consumer_lag", Map.of("topic", COMMANDS_TOPIC)) >= 1);
        FlinkPlatformTestResource.platform().kubernetes().traffic().clearFaults();
        bus.awaitResult(id);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> value("commander_command_consumer_lag", Map.of("topic", COMMANDS_TOPIC)) == 0);
        assertThat(scrape()).filteredOn(s -> s.name().equals("commander_command_consumer_lag"))
                .allSatisfy(s -> assertThat(s.value()).isZero());
    }

    @Test
    void jobsGaugeCountsEveryObservedDeploymentByLifecycle() {
        double stable = value("commander_jobs", Map.of("kind", "FlinkDeployment", "lifecycle", "STABLE"));
        bus.awaitResult(deploy("gauged"));
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            FlinkDeployment d = kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName("gauged").get();
            return d != null && d.getStatus() != null && d.getStatus().getLifecycleState() != null
                    && d.getStatus().getLifecycleState().getValue().equals("STABLE");
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> value("commander_jobs",
                Map.of("kind", "FlinkDeployment", "lifecycle", "STABLE")) >= stable + 1);
        // Exactly what the API server holds, each deployment under its own state.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<FlinkDeployment> all = kubernetes.resources(FlinkDeployment.class).inAnyNamespace().list().getItems();
            long stableNow = all.stream().filter(d -> d.getStatus() != null && d.getStatus().getLifecycleState() != null
                    && d.getStatus().getLifecycleState().getValue().equals("STABLE")).count();
            assertThat(value("commander_jobs", Map.of("kind", "FlinkDeployment"))).isEqualTo(all.size());
            assertThat(value("commander_jobs", Map.of("kind", "FlinkDeployment", "lifecycle", "STABLE")))
                    .isEqualTo(stableNow);
        });
        assertThat(scrape()).filteredOn(s -> s.name().equals("commander_jobs")).extracting(s -> s.labels().get("lifecycle"))
                .contains("FAILED", "SUSPENDED", "UNKNOWN");
    }
}
