package io.flinkcommander.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import io.flinkcommander.config.CommanderConfig;

/**
 * The configuration keys the service really reads, to check manifests against: the
 * {@code commander.*} keys of {@link CommanderConfig} (derived from the mapping's methods the way
 * SmallRye Config names them), and {@code kafka.*}, which Quarkus hands to every Kafka client
 * (so the rest must be a Kafka producer, consumer or admin property).
 */
final class ServiceConfigKeys {

    private ServiceConfigKeys() {
    }

    static boolean isKey(String key) {
        if (key.startsWith("kafka.")) {
            return kafkaClientProperties().contains(key.substring("kafka.".length()));
        }
        return commanderKeys().contains(key);
    }

    /**
     * Whether an environment variable sets a key: SmallRye Config reads {@code commander.a-b.c}
     * from {@code COMMANDER_A_B_C}, and Quarkus turns {@code KAFKA_X_Y} into Kafka's {@code x.y}.
     */
    static boolean isEnvironmentKey(String name) {
        if (name.startsWith("KAFKA_")) {
            return kafkaClientProperties().contains(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return commanderKeys().stream().anyMatch(key -> environmentName(key).equals(name));
    }

    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    static Set<String> commanderKeys() {
        Set<String> keys = new TreeSet<>();
        collect("commander", CommanderConfig.class, keys);
        return keys;
    }

    static Set<String> kafkaClientProperties() {
        Set<String> names = new TreeSet<>(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    private static void collect(String prefix, Class<?> mapping, Set<String> keys) {
        for (Method method : mapping.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getPackageName().startsWith("io.flinkcommander")) {
                collect(key, type, keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
