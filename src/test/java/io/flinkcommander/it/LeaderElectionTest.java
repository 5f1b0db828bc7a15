package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.observe.Leadership;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two replicas' leader election on one Lease of the API test server, in one JVM: one publisher at
 * a time, and the other takes over when the leader goes away.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class LeaderElectionTest {

    static Leadership.Settings settings(String identity) {
        return new Leadership.Settings("default", "leader-election-test", identity, Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofMillis(500));
    }

    @Test
    void oneReplicaLeadsAndAnotherTakesOverWhenItStops() {
        KubernetesClient client = FlinkPlatformTestResource.platform().kubernetesClient();
        List<String> leaders = new CopyOnWriteArrayList<>();
        AtomicBoolean bothLed = new AtomicBoolean();
        Leadership[] replicas = new Leadership[2];
        for (int i = 0; i < 2; i++) {
            String identity = "replica-" + i;
            replicas[i] = new Leadership(client, settings(identity), leading -> {
                if (leading) {
                    leaders.add(identity);
                }
            });
        }
        try {
            replicas[0].start();
            replicas[1].start();
            await().atMost(Duration.ofSeconds(10)).until(() -> replicas[0].isLeader() || replicas[1].isLeader());
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5)).until(() -> {
                        bothLed.compareAndSet(false, replicas[0].isLeader() && replicas[1].isLeader());
                        return true;
                    });
            assertThat(bothLed).isFalse();
            assertThat(leaders).hasSize(1);
            int first = replicas[0].isLeader() ? 0 : 1;

            replicas[first].close();

            await().atMost(Duration.ofSeconds(10)).until(() -> replicas[1 - first].isLeader());
            assertThat(leaders).containsExactly("replica-" + first, "replica-" + (1 - first));
        } finally {
            replicas[0].close();
            replicas[1].close();
        }
    }
}
