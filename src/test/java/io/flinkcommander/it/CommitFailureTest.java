package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.FlinkPlatform;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.fixture.KubernetesTraffic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A batch whose transaction fails at its commit is read again and answered once. The commit is
 * made to fail the way a broker restart or a new replica makes it fail: the consumer group
 * rebalances while the batch's transaction is open, so its offsets belong to an old generation.
 * The member that joins subscribes to another topic, so every commands partition stays with the
 * service and only the service itself can bring the batch back.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class CommitFailureTest {

    static final String NS = "commit-failure";

    final FlinkPlatform platform = FlinkPlatformTestResource.platform();
    final CommandBus bus = CommandBus.shared();

    @AfterEach
    void recover() {
        platform.kubernetes().traffic().clearFaults();
    }

    @Test
    void aBatchWhoseCommitFailsInARebalanceIsReadAgainAndAnsweredOnce() {
        String name = "rebalanced";
        AtomicBoolean held = new AtomicBoolean();
        platform.kubernetes().traffic().addListener(request -> {
            if (request.fromService() && request.path().contains("/flinkdeployments/" + name)) {
                held.set(true);
            }
        });
        // The batch's Kubernetes calls take long enough for the group to rebalance under its transaction.
        platform.kubernetes().traffic().injectFaults(KubernetesTraffic.FaultRule.forResource("flinkdeployments", name,
                new KubernetesTraffic.Fault.Delay(Duration.ofSeconds(6))));

        String deploy = bus.sendStructured("flink.job.deploy", NS + "/" + name, CommandFlowTest.deployData(1));
        await("the deploy's batch is in its transaction").atMost(Duration.ofSeconds(30)).untilTrue(held);
        joinTheServiceGroupOnAnotherTopic();
        platform.kubernetes().traffic().clearFaults();

        assertThat(bus.awaitResult(deploy).get("outcome").asText()).isEqualTo("APPLIED");
        // A later command of the same job shares its partition: once its result is in, any second
        // result of the deploy would be too.
        String scale = bus.sendStructured("flink.job.scale", NS + "/" + name, "{\"parallelism\":2}");
        assertThat(bus.awaitResult(scale).get("outcome").asText()).isEqualTo("APPLIED");
        List<CommandBus.Received> deployResults = bus.resultsFor(deploy);
        assertThat(deployResults).as("results of the deploy").hasSize(1);
    }

    /** A second member of the service's group, for as long as it takes the group to rebalance once. */
    private void joinTheServiceGroupOnAnotherTopic() {
        try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "flink-commander",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            member.subscribe(List.of("commit-failure.rebalance"));
            await("the group rebalanced with a second member").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        member.poll(Duration.ofMillis(100));
                        return member.groupMetadata().generationId() > 0;
                    });
        }
    }
}
