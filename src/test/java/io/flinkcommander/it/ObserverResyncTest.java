package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * A transition whose events Kafka refused is published by the periodic resync
 * ({@code commander.observe.resync}, 2 s here) once Kafka takes them again: nothing else would
 * publish it, as the job does not change any more.
 */
@QuarkusTest
@TestProfile(SnapshotTimeoutTest.ShortTimeouts.class)
@WithTestResource(FlinkPlatformTestResource.class)
class ObserverResyncTest {

    static final String NS = "resync";

    static CommandBus bus;
    static EventTap tap;
    static KubernetesClient kubernetes;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        tap = EventTap.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
    }

    @Test
    void transitionWhosePublishingFailedIsPublishedByTheResync() throws Exception {
        String id = bus.sendStructured("flink.job.deploy", NS + "/orders",
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}");
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        tap.await(NS + "/orders", lifecycleTo("STABLE"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                FlinkPlatformTestResource.platform().bootstrapServers()))) {
            // The broker now refuses every lifecycle record (too large): the send fails, no mark is written.
            maxMessageBytes(admin, "64");
            try {
                bus.awaitResult(bus.sendStructured("flink.job.suspend", NS + "/orders", "{}"));
                await().atMost(Duration.ofSeconds(20)).until(() -> "SUSPENDED".equals(kubernetes
                        .resources(FlinkDeployment.class).inNamespace(NS).withName("orders").get().getStatus()
                        .getLifecycleState().getValue()));
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> tap.about(NS + "/orders", "flink.job.lifecycle-changed").size() == 3);
            } finally {
                maxMessageBytes(admin, null);
            }
        }

        tap.await(NS + "/orders", lifecycleTo("SUSPENDED"));

        List<String> lifecycle = tap.about(NS + "/orders", "flink.job.lifecycle-changed").stream()
                .map(e -> e.field("from") + "->" + e.field("to")).toList();
        // The resync publishes the net change STABLE->SUSPENDED. The producer may also deliver parts of
        // a refused batch late (it splits and retries them), e.g. STABLE->UPGRADING before it: at least
        // once, and SUSPENDED published once, last.
        assertThat(lifecycle).startsWith("null->CREATED", "CREATED->DEPLOYED", "DEPLOYED->STABLE");
        assertThat(lifecycle.get(lifecycle.size() - 1)).endsWith("->SUSPENDED");
        assertThat(lifecycle.stream().filter(t -> t.endsWith("->SUSPENDED"))).hasSize(1);
    }

    /** Sets the topic's {@code max.message.bytes}, or back to the broker's default with null. */
    private static void maxMessageBytes(Admin admin, String value) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, EventTap.LIFECYCLE);
        AlterConfigOp op = value == null
                ? new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE)
                : new AlterConfigOp(new ConfigEntry("max.message.bytes", value), AlterConfigOp.OpType.SET);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(op))).all().get();
    }
}
