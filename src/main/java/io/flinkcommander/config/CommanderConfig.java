package io.flinkcommander.config;

import java.time.Duration;

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

    interface Snapshots {
        /**
         * Savepoint and checkpoint commands create FlinkStateSnapshot resources (operator 1.10+).
         * Off: they set {@code savepointTriggerNonce} / {@code checkpointTriggerNonce} instead, as
         * operators with {@code kubernetes.operator.snapshot.resource.enabled=false} need. Default true.
         */
        @WithDefault("true")
        boolean resources();
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
    }

    interface Apply {
        /** Jobs whose commands are applied at the same time; one job's commands never overlap. Default 16. */
        @WithDefault("16")
        int maxInFlight();

        /** Re-reads after a 409 Conflict before a command FAILS. Default 10. */
        @WithDefault("10")
        int conflictRetries();

        /** How long 5xx answers and timeouts from the Kubernetes API are retried. Default 30s. */
        @WithDefault("30s")
        Duration retryDeadline();

        /** First pause between retries; doubles up to 5 s. Default 100ms. */
        @WithDefault("100ms")
        Duration retryBackoff();

        /** Command ids remembered on each resource to answer replays. Default 20. */
        @WithDefault("20")
        int rememberedIds();
    }
}
