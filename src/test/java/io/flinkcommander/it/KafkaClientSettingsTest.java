package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * The settings the Kafka clients really run with, read from the clients the connector made: every
 * producer idempotent with acks=all, the commands consumer reading committed records only and
 * committing nothing itself, and {@code kafka.*} security settings on every client.
 */
@QuarkusTest
@TestProfile(RestrictedPlatformTest.Restricted.class)
@WithTestResource(FlinkPlatformTestResource.class)
class KafkaClientSettingsTest {

    static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"flink-commander\" password=\"from-a-secret\";";
    static final List<String> PRODUCERS = List.of("command-results", "commands-out", "observed-events");
    static final List<String> CONSUMERS = List.of("commands", "result-watch", "savepoint-catalog");

    @Inject
    KafkaClientService kafka;
    @Inject
    CommanderConfig config;

    static String setting(Map<String, ?> config, String key) {
        Object value = config.get(key);
        return value == null ? null : String.valueOf(value);
    }

    @Test
    void everyProducerIsIdempotentWithAcksAllAndAtMostFiveRequestsInFlight() {
        assertThat(kafka.getProducerChannels()).containsAll(PRODUCERS);
        for (String channel : PRODUCERS) {
            Map<String, ?> config = kafka.getProducer(channel).configuration();
            assertThat(setting(config, "acks")).as(channel).isEqualTo("all");
            assertThat(setting(config, "enable.idempotence")).as(channel).isEqualTo("true");
            assertThat(Integer.parseInt(setting(config, "max.in.flight.requests.per.connection"))).as(channel)
                    .isBetween(1, 5);
        }
        assertThat(setting(kafka.getProducer("command-results").configuration(), "transactional.id"))
                .isEqualTo("flink-commander-" + config.instanceId());
    }

    @Test
    void theCommandsConsumerReadsCommittedRecordsAndLeavesCommitsToTheTransaction() {
        Map<String, ?> config = kafka.getConsumer("commands").configuration();

        assertThat(setting(config, "group.id")).isEqualTo("flink-commander");
        assertThat(setting(config, "isolation.level")).isEqualTo("read_committed");
        assertThat(setting(config, "enable.auto.commit")).isEqualTo("false");
        assertThat(setting(config, "partition.assignment.strategy"))
                .isEqualTo("org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    }

    @Test
    void kafkaSecuritySettingsReachEveryClient() {
        assertThat(kafka.getConsumerChannels()).containsAll(CONSUMERS);
        Map<String, Map<String, ?>> clients = new java.util.LinkedHashMap<>();
        PRODUCERS.forEach(channel -> clients.put(channel, kafka.getProducer(channel).configuration()));
        CONSUMERS.forEach(channel -> clients.put(channel, kafka.getConsumer(channel).configuration()));

        clients.forEach((channel, config) -> {
            assertThat(setting(config, "sasl.mechanism")).as(channel).isEqualTo("SCRAM-SHA-512");
            assertThat(setting(config, "sasl.jaas.config")).as(channel).isEqualTo(JAAS);
        });
    }
}
