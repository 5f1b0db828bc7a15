package io.flinkcommander.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * The alert rules and the Grafana dashboard in {@code k8s/monitoring/} read, and query only metrics
 * the service has: the names in README's "Metrics" table (with {@code _bucket}/{@code _count}/
 * {@code _sum} for its histograms).
 */
class MonitoringTest {

    static final Path MONITORING = Manifests.K8S.resolve("monitoring");
    static final Pattern METRIC = Pattern.compile("\\bcommander_[a-z0-9_]+\\b");

    /** The metric names README lists, e.g. {@code commander_command_apply_seconds}. */
    static Set<String> documentedMetrics() throws IOException {
        Set<String> names = new TreeSet<>();
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## Metrics"));
        section = section.substring(0, section.indexOf("\n## ", 3));
        // A row: | `name` | type | labels | what |
        Matcher row = Pattern.compile("(?m)^\\| `(commander_[a-z0-9_]+)`[^\\n]*$").matcher(section);
        while (row.find()) {
            names.add(row.group(1));
            if (row.group().contains("| histogram |")) {
                for (String suffix : List.of("_bucket", "_count", "_sum")) {
                    names.add(row.group(1) + suffix);
                }
            }
        }
        return names;
    }

    static Set<String> metricsIn(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() {
        GenericKubernetesResource rule = Manifests.load(MONITORING.resolve("prometheusrule.yaml"), GenericKubernetesResource.class);
        assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.getKind()).isEqualTo("PrometheusRule");
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rule.get("spec", "groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    @Test
    void readmeListsTheMetricsTheMonitoringUses() throws IOException {
        assertThat(documentedMetrics()).contains("commander_command_results_total", "commander_command_apply_seconds_bucket",
                "commander_kubernetes_api_errors_total", "commander_events_published_total");
    }

    @Test
    @SuppressWarnings("unchecked")
    void alertsCoverFailingCommandsLagFailedJobsFailingSavepointsAndApiErrors() {
        Map<String, String> exprByAlert = new java.util.TreeMap<>();
        for (Map<String, Object> rule : alertRules()) {
            assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
            assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).containsKeys("summary", "description");
            exprByAlert.put((String) rule.get("alert"), (String) rule.get("expr"));
        }

        assertThat(exprByAlert).containsKeys("FlinkCommanderCommandsFailing", "FlinkCommanderConsumerLagGrowing",
                "FlinkJobsFailed", "FlinkSavepointsFailing", "FlinkCommanderKubernetesApiErrors");
        assertThat(exprByAlert.get("FlinkCommanderCommandsFailing")).contains("commander_command_results_total{outcome=\"FAILED\"}");
        assertThat(exprByAlert.get("FlinkJobsFailed")).contains("commander_jobs{lifecycle=\"FAILED\"}");
        assertThat(exprByAlert.get("FlinkSavepointsFailing")).contains("type=\"flink.savepoint.failed\"");
        assertThat(exprByAlert.get("FlinkCommanderConsumerLagGrowing")).contains("commander_command_consumer_lag");
    }

    @Test
    void alertsQueryOnlyMetricsTheServiceHas() throws IOException {
        List<String> expressions = alertRules().stream().map(r -> (String) r.get("expr")).toList();

        assertThat(metricsIn(expressions)).isNotEmpty().isSubsetOf(documentedMetrics());
    }

    @Test
    void theDashboardQueriesOnlyMetricsTheServiceHas() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("flink-commander-dashboard.json").toFile());
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panel.path("targets")).as("panel " + panel.path("title")).isNotEmpty();
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
        }

        assertThat(dashboard.path("uid").asText()).isEqualTo("flink-commander");
        assertThat(metricsIn(expressions)).isSubsetOf(documentedMetrics())
                .contains("commander_command_consumer_lag", "commander_jobs", "commander_command_results_total");
    }
}
