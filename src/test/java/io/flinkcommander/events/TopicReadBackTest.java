package io.flinkcommander.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.fixture.LocalKafka;

/** Reading an outgoing topic back once, against a real broker, at the size of W4 (10,000 jobs). */
class TopicReadBackTest {

    static final int JOBS = 10_000;
    static final String[] STATES = { "CREATED", "DEPLOYED", "STABLE" };

    static LocalKafka kafka;
    static TopicReadBack readBack;

    @BeforeAll
    static void start() {
        kafka = LocalKafka.start(0);
        readBack = new TopicReadBack(Map.of("bootstrap.servers", kafka.bootstrapServers()), new ObjectMapper());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void readsEveryEventOfTheAskedTypesToTheEndInTheOrderPublishedPerJob() {
        kafka.createTopics("lifecycle-big");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int job = 0; job < JOBS; job++) {
                String subject = "ns/job-" + job;
                String previous = null;
                for (String state : STATES) {
                    producer.send(record("lifecycle-big", subject, "uid-" + job + "/" + state + "/lifecycle",
                            "flink.job.lifecycle-changed", "{\"from\":" + (previous == null ? "null" : "\"" + previous + "\"")
                                    + ",\"to\":\"" + state + "\"}"));
                    previous = state;
                }
                producer.send(record("lifecycle-big", subject, "uid-" + job + "/1/event", "flink.job.operator-event",
                        "{\"reason\":\"JobStatusChanged\"}"));
            }
        }
        Map<String, String> last = new HashMap<>();

        TopicReadBack.Pass pass = readBack.read("lifecycle-big", Set.of("flink.job.lifecycle-changed"),
                event -> last.put(event.subject(), event.text("to")), Duration.ofSeconds(60));

        System.out.printf("Read back %d records of %d jobs from %d partitions in %d ms%n", pass.records(), JOBS,
                pass.partitions(), pass.took().toMillis());
        assertThat(pass.records()).isEqualTo(JOBS * 4L);
        assertThat(pass.partitions()).isEqualTo(LocalKafka.PARTITIONS);
        assertThat(last).hasSize(JOBS);
        assertThat(last.values()).containsOnly("STABLE");
    }

    @Test
    void aTopicThatDoesNotExistIsAnEmptyHistoryAndIsNotCreated() {
        TopicReadBack.Pass pass = readBack.read("never-written", Set.of("flink.job.lifecycle-changed"),
                event -> {
                    throw new AssertionError("nothing to read");
                }, Duration.ofSeconds(10));

        assertThat(pass.records()).isZero();
        assertThat(pass.partitions()).isZero();
    }

    private static ProducerRecord<String, byte[]> record(String topic, String subject, String id, String type,
            String data) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, subject, data.getBytes(UTF_8));
        record.headers().add("ce_id", id.getBytes(UTF_8)).add("ce_type", type.getBytes(UTF_8))
                .add("ce_subject", subject.getBytes(UTF_8));
        return record;
    }
}
