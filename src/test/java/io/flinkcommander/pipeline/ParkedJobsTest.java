package io.flinkcommander.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.LocalKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The registry of parked jobs is rebuilt from the parked topic and the parked group's committed
 * offsets alone, as a restarted replica or the new owner of a partition does (real broker).
 */
class ParkedJobsTest {

    static LocalKafka kafka;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start(0);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        producer.close();
        kafka.close();
    }

    @Test
    void aNewRegistryKnowsTheJobsWithParkedRecordsPastTheCommittedOffset() throws Exception {
        String topic = "parked-rebuild";
        String group = "parked-rebuild-group";
        kafka.createTopics(topic);
        RecordMetadata a1 = park(topic, "ns/a", "flink.commands-0@1");
        park(topic, "ns/a", "flink.commands-0@2");
        RecordMetadata b1 = park(topic, "ns/bb", "flink.commands-1@7");
        // The parked consumer answered a's first and b's only command.
        commit(group, a1, b1);

        ParkedJobs restarted = registry(topic, group);
        restarted.refresh();
        assertThat(restarted.isParked("ns/a")).as("a's second command is unanswered").isTrue();
        assertThat(restarted.isParked("ns/bb")).isFalse();
        assertThat(restarted.size()).isEqualTo(1);

        RecordMetadata a2 = park(topic, "ns/a", "flink.commands-0@3");
        restarted.refresh();
        assertThat(restarted.size()).isEqualTo(2);

        commit(group, a2);
        restarted.refresh();
        assertThat(restarted.isParked("ns/a")).as("everything of a answered").isFalse();
        assertThat(restarted.size()).isZero();
        restarted.close();
    }

    @Test
    void aCommandThisReplicaParksCountsAtOnceAndUntilItIsAnswered() throws Exception {
        String topic = "parked-own";
        String group = "parked-own-group";
        kafka.createTopics(topic);
        ParkedJobs registry = registry(topic, group);
        registry.refresh();

        registry.parking("ns/c", "flink.commands-2@5");
        assertThat(registry.isParked("ns/c")).as("before its record is visible").isTrue();
        RecordMetadata c1 = park(topic, "ns/c", "flink.commands-2@5");
        registry.refresh();
        assertThat(registry.isParked("ns/c")).isTrue();
        assertThat(registry.size()).as("pending and read count once").isEqualTo(1);

        commit(group, c1);
        registry.refresh();
        assertThat(registry.isParked("ns/c")).isFalse();

        registry.parking("ns/d", "flink.commands-3@9");
        registry.abandon(List.of(new InboundRecord("ns/d", new byte[0], name -> null, List.of(), "flink.commands-3@9", null)));
        assertThat(registry.isParked("ns/d")).as("its transaction failed: not parked after all").isFalse();
        registry.close();
    }

    private static ParkedJobs registry(String topic, String group) {
        return new ParkedJobs(Map.of("bootstrap.servers", kafka.bootstrapServers()), topic, group,
                new SimpleMeterRegistry());
    }

    private static RecordMetadata park(String topic, String job, String from) throws Exception {
        // One partition per job here, so that committing one job's offset says nothing of another's.
        int partition = Math.floorMod(job.hashCode(), 2) == 0 ? 0 : 1;
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, partition, job, "{}".getBytes(UTF_8));
        record.headers().add(ParkedRecords.FROM, from.getBytes(UTF_8))
                .add(ParkedRecords.AT, Instant.now().toString().getBytes(UTF_8));
        return producer.send(record).get();
    }

    /** What the parked consumer does when it has answered these records. */
    private static void commit(String group, RecordMetadata... answered) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            for (RecordMetadata record : answered) {
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            consumer.commitSync(offsets);
        }
    }
}
