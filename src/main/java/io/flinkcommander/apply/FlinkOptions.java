package io.flinkcommander.apply;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;

/**
 * Flink's own configuration options, to check {@code flinkConfiguration} values the way Flink will
 * read them: a memory size, a duration, a number, an enum. Collected from Flink's option classes,
 * plus the operator's and autoscaler's keys, which live outside flink-core.
 */
final class FlinkOptions {

    private static final List<String> OPTION_CLASSES = List.of(
            "CoreOptions", "TaskManagerOptions", "JobManagerOptions", "CheckpointingOptions", "StateBackendOptions",
            "StateRecoveryOptions", "RestartStrategyOptions", "PipelineOptions", "ExecutionOptions", "RestOptions",
            "HighAvailabilityOptions", "MetricOptions", "SecurityOptions", "NettyShuffleEnvironmentOptions",
            "DeploymentOptions", "WebOptions", "BlobServerOptions", "ClusterOptions", "RpcOptions",
            "HeartbeatManagerOptions", "ResourceManagerOptions", "BatchExecutionOptions", "JMXServerOptions");

    /** Keys the Flink operator and its autoscaler read, with the types they read them as. */
    private static final List<ConfigOption<?>> OPERATOR_OPTIONS = List.of(
            ConfigOptions.key("kubernetes.operator.periodic.savepoint.interval").durationType().noDefaultValue(),
            ConfigOptions.key("kubernetes.operator.periodic.checkpoint.interval").durationType().noDefaultValue(),
            ConfigOptions.key("kubernetes.operator.savepoint.history.max.age").durationType().noDefaultValue(),
            ConfigOptions.key("kubernetes.operator.savepoint.history.max.count").intType().noDefaultValue(),
            ConfigOptions.key("kubernetes.operator.savepoint.cleanup.enabled").booleanType().noDefaultValue(),
            ConfigOptions.key("job.autoscaler.enabled").booleanType().noDefaultValue(),
            ConfigOptions.key("job.autoscaler.target.utilization").doubleType().noDefaultValue(),
            ConfigOptions.key("job.autoscaler.target.utilization.boundary").doubleType().noDefaultValue(),
            ConfigOptions.key("job.autoscaler.stabilization.interval").durationType().noDefaultValue(),
            ConfigOptions.key("job.autoscaler.metrics.window").durationType().noDefaultValue(),
            ConfigOptions.key("job.autoscaler.vertex.max-parallelism").intType().noDefaultValue());

    private final Map<String, ConfigOption<?>> byKey = new HashMap<>();

    FlinkOptions() {
        for (String name : OPTION_CLASSES) {
            try {
                collect(Class.forName("org.apache.flink.configuration." + name));
            } catch (ClassNotFoundException | LinkageError e) {
                // An option class that moved between Flink versions: its keys go unchecked.
            }
        }
        OPERATOR_OPTIONS.forEach(this::register);
    }

    /** Why Flink could not read {@code value} for {@code key}, or empty when it can or the key is unknown. */
    Optional<String> problem(String key, String value) {
        ConfigOption<?> option = byKey.get(key);
        if (option == null) {
            return Optional.empty();
        }
        try {
            Configuration configuration = Configuration.fromMap(Map.of(key, value));
            configuration.get(option);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    int size() {
        return byKey.size();
    }

    private void collect(Class<?> options) {
        for (Field field : options.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                try {
                    register((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    // public static fields are readable; nothing to do for the odd one that is not
                }
            }
        }
    }

    private void register(ConfigOption<?> option) {
        byKey.put(option.key(), option);
        for (FallbackKey fallback : option.fallbackKeys()) {
            byKey.putIfAbsent(fallback.getKey(), option);
        }
    }
}
