package io.flinkcommander.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the service can be told, under {@code commander.*}. */
@ConfigMapping(prefix = "commander")
public interface CommanderConfig {

    /**
     * Names this replica: the {@code source} of the events it publishes and the base of its Kafka
     * transactional id, so it must differ between replicas and stay the same across a restart
     * (a restarted replica then fences its own unfinished transaction at once). Default: the
     * {@code HOSTNAME} Kubernetes gives the pod, else {@code flink-commander}.
     */
    @WithDefault("flink-commander")
    String instanceId();

    Topics topics();

    Apply apply();

    Snapshots snapshots();

    PolicyConfig policy();

    Observe observe();

    Catalog catalog();

    /** Watching the operator's resources and publishing what changes (see DESIGN.md, "Observing"). */
    interface Observe {
        /** Off: nothing is watched or published (the read side is then empty). Default true. */
        @WithDefault("true")
        boolean enabled();

        /** Namespaces to watch. Default: all namespaces. */
        Optional<List<String>> namespaces();

        /**
         * How often every watched resource is compared with its last-published mark again, which
         * publishes what a failed send left out. Default 5m.
         */
        @WithDefault("5m")
        Duration resync();

        LeaderElection leaderElection();

        UnobservedDeletes unobservedDeletes();

        /**
         * Jobs deleted while no replica observed them: on taking the lead, the lifecycle topic
         * ({@code commander.topics.lifecycle}) is read back once and every job whose last published
         * state is not DELETED and that no longer exists in a watched namespace gets its DELETED.
         */
        interface UnobservedDeletes {
            /** Off: such deletes are never published (as before). Default true. */
            @WithDefault("true")
            boolean enabled();

            /**
             * How long reading the lifecycle topic back may take; past it (or when Kafka fails) nothing
             * is published for unobserved deletes this time, and a warning is logged. Default 60s.
             */
            @WithDefault("60s")
            Duration readLimit();
        }

        /** Only the holder of a coordination.k8s.io Lease publishes; the others keep caches for reads. */
        interface LeaderElection {
            /** Off: this replica always publishes (one replica only!). Default true. */
            @WithDefault("true")
            boolean enabled();

            /** Default {@code flink-commander-observer}. */
            @WithDefault("flink-commander-observer")
            String leaseName();

            /** Default: the Kubernetes client's namespace. */
            Optional<String> leaseNamespace();

            /** How long a dead leader holds the lease. Default 10s. */
            @WithDefault("10s")
            Duration leaseDuration();

            /** A leader that could not renew for this long steps down. Default 5s. */
            @WithDefault("5s")
            Duration renewDeadline();

            /** Pause between attempts to acquire or renew. Default 2s. */
            @WithDefault("2s")
            Duration retryPeriod();
        }
    }

    /** The savepoint catalog, rebuilt from the savepoints topic on start. */
    interface Catalog {
        /** Savepoints and checkpoints older than this (by result time) are forgotten. Default 30d. */
        @WithDefault("30d")
        Duration retention();
    }

    interface Snapshots {
        /**
         * Savepoint and checkpoint commands create FlinkStateSnapshot resources (operator 1.10+).
         * Off: they set {@code savepointTriggerNonce} / {@code checkpointTriggerNonce} instead, as
         * operators with {@code kubernetes.operator.snapshot.resource.enabled=false} need. Default true.
         */
        @WithDefault("true")
        boolean resources();

        /**
         * A FlinkStateSnapshot a savepoint or checkpoint command created that is not COMPLETED,
         * FAILED or ABANDONED this long after it was triggered (before that: created) gets one
         * {@code flink.savepoint.failed} with reason Timeout. Default 30m.
         */
        @WithDefault("30m")
        Duration timeout();

        /**
         * How often snapshots are checked against {@link #timeout()}; a timeout is published up to
         * this much late. Read by the scheduler as {@value #TIMEOUT_CHECK}. Default 30s.
         */
        @WithDefault("30s")
        Duration timeoutCheck();

        String TIMEOUT_CHECK = "commander.snapshots.timeout-check";
    }

    interface Topics {
        /** Default {@code flink.commands}. */
        @WithDefault("flink.commands")
        String commands();

        /** Default {@code flink.command-results}. */
        @WithDefault("flink.command-results")
        String results();

        /** Records that are not readable commands. Default {@code flink.commands.dlq}. */
        @WithDefault("flink.commands.dlq")
        String deadLetter();

        /** Lifecycle and job-status transitions, operator events. Default {@code flink.lifecycle}. */
        @WithDefault("flink.lifecycle")
        String lifecycle();

        /** Savepoint and checkpoint records; also read back into the catalog. Default {@code flink.savepoints}. */
        @WithDefault("flink.savepoints")
        String savepoints();

        /** Scaling decisions (manual scale commands, the operator's autoscaler). Default {@code flink.scaling}. */
        @WithDefault("flink.scaling")
        String scaling();

        /**
         * Internal: commands of jobs whose Kubernetes calls keep failing, retried apart from the
         * main path (see DESIGN.md). Give it the commands topic's partition count. Default
         * {@code flink.commands.parked}.
         */
        @WithDefault("flink.commands.parked")
        String parked();
    }

    interface Apply {
        /** Jobs whose commands are applied at the same time; one job's commands never overlap. Default 16. */
        @WithDefault("16")
        int maxInFlight();

        /** Re-reads after a 409 Conflict before a command FAILS. Default 10. */
        @WithDefault("10")
        int conflictRetries();

        /**
         * How long 5xx answers and timeouts from the Kubernetes API are retried for a command,
         * counted from when it was parked; then it FAILS. Keep it well below the producers'
         * {@code transaction.timeout.ms} (60 s by default). Default 30s.
         */
        @WithDefault("30s")
        Duration retryDeadline();

        /**
         * How long a command may retry a failing Kubernetes API on the main path before it is
         * parked (with every later command of its job), so that it holds up no other job. Default 2s.
         */
        @WithDefault("2s")
        Duration inlineDeadline();

        /** First pause between retries; doubles up to 5 s. Default 100ms. */
        @WithDefault("100ms")
        Duration retryBackoff();

        /** Command ids remembered on each resource to answer replays. Default 20. */
        @WithDefault("20")
        int rememberedIds();
    }

    Telemetry telemetry();

    interface Telemetry {
        /**
         * Console logs as one JSON object per line (default {@code true}: production); {@code false}
         * for the readable format, as in dev, tests and the sandbox.
         */
        @WithDefault("true")
        boolean jsonLogs();

        /** How often the commands consumer group's lag is read from Kafka (default 15s). */
        @WithDefault("15s")
        Duration lagInterval();
    }
}
