package io.flinkcommander.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

import org.apache.flink.v1beta1.FlinkDeploymentStatus;

/**
 * {@code commander_jobs{kind, lifecycle}}: the FlinkDeployments and FlinkSessionJobs in this replica's
 * watch caches by {@code status.lifecycleState}. One series per kind and per state the CRD knows, zero
 * included (so an alert on FAILED has a series to watch), plus UNKNOWN for no state yet or a state
 * newer than our CRD. Every replica watches everything, so each reports the whole picture: aggregate
 * replicas with {@code max}, not {@code sum}.
 */
@ApplicationScoped
@Startup
public class ObservedJobsGauge {

    static final String UNKNOWN = "UNKNOWN";
    static final List<String> KINDS = List.of("FlinkDeployment", "FlinkSessionJob");
    /** A scrape reads every gauge; counting once per scrape instead of once per series. */
    private static final long FRESH_NANOS = 1_000_000_000L;

    private final JobDirectory jobs;
    private Map<String, Long> counts = Map.of();
    private long countedAt;

    public ObservedJobsGauge(JobDirectory jobs, MeterRegistry registry) {
        this.jobs = jobs;
        for (String kind : KINDS) {
            for (String lifecycle : lifecycles()) {
                Gauge.builder("commander.jobs", this, gauge -> gauge.count(kind, lifecycle))
                        .description("Observed Flink jobs by kind and lifecycle state")
                        .tag("kind", kind).tag("lifecycle", lifecycle).register(registry);
            }
        }
    }

    static List<String> lifecycles() {
        List<String> states = new ArrayList<>();
        for (FlinkDeploymentStatus.LifecycleState state : FlinkDeploymentStatus.LifecycleState.values()) {
            states.add(state.getValue());
        }
        states.add(UNKNOWN);
        return states;
    }

    private synchronized double count(String kind, String lifecycle) {
        long now = System.nanoTime();
        if (countedAt == 0 || now - countedAt > FRESH_NANOS) {
            counts = countByKindAndLifecycle(jobs.jobs());
            countedAt = now;
        }
        return counts.getOrDefault(kind + "/" + lifecycle, 0L);
    }

    static Map<String, Long> countByKindAndLifecycle(List<JobView> jobs) {
        List<String> known = lifecycles();
        Map<String, Long> counts = new HashMap<>();
        for (JobView job : jobs) {
            String lifecycle = job.lifecycle() != null && known.contains(job.lifecycle()) ? job.lifecycle() : UNKNOWN;
            counts.merge(job.kind() + "/" + lifecycle, 1L, Long::sum);
        }
        return counts;
    }
}
