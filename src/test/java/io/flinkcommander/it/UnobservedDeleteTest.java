package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.contract.EventSchemas;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.observe.ResourceObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * A job deleted while the service did not observe (observer stopped, or another replica about to
 * lead): the resource and its last-published mark are gone and no informer saw a delete. Taking the
 * lead reads the lifecycle topic back and publishes the net transition to DELETED, once, with the
 * id a watched delete would have had.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class UnobservedDeleteTest {

    static final String NS = "unobserved";
    static final String LIFECYCLE = "flink.job.lifecycle-changed";

    static CommandBus bus;
    static EventTap tap;
    static KubernetesClient kubernetes;

    @Inject
    ResourceObserver observer;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        tap = EventTap.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
    }

    @AfterEach
    void observeAgain() {
        observer.start();
        observer.lead(true);
    }

    @Test
    void aJobDeletedWhileNotObservedIsPublishedDeletedOnceWhenObservingResumes() {
        String deployId = deployAndAwaitStable("orders");
        deployAndAwaitStable("kept");
        String uid = deployment("orders").getMetadata().getUid();
        int keptEvents = tap.about(NS + "/kept").size();
        List<String> before = lifecycle(NS + "/orders");

        observer.stop();
        deleteDirectly("orders");
        observer.start();

        EventTap.Event deleted = tap.await(NS + "/orders", lifecycleTo("DELETED"));
        assertThat(deleted.header("ce_id")).isEqualTo(uid + "/deleted/" + LIFECYCLE);
        assertThat(deleted.header("ce_subject")).isEqualTo(NS + "/orders");
        assertThat(deleted.header("ce_causationid")).isEqualTo(deployId);
        assertThat(deleted.header("ce_resourceuid")).isEqualTo(uid);
        assertThat(deleted.field("from")).isEqualTo("STABLE");
        assertThat(deleted.field("jobState")).isEqualTo("RUNNING");
        assertThat(deleted.field("generation")).isEqualTo("1");
        assertThat(EventSchemas.load().violations(deleted.record().headers(), deleted.record().data())).isEmpty();
        awaitQuiet(NS + "/orders", before.size() + 1);
        assertThat(lifecycle(NS + "/orders")).endsWith("STABLE->DELETED").startsWith(before.toArray(String[]::new));
        assertThat(tap.about(NS + "/kept")).hasSize(keptEvents);

        // A second change of leader, then a second replica taking over: the topic's last word is DELETED.
        observer.lead(false);
        observer.lead(true);
        observer.awaitPublished(Duration.ofSeconds(10));
        observer.lead(false);
        ResourceObserver second = SecondReplica.observer(kubernetes);
        try {
            second.start();
            second.lead(true);
            second.awaitPublished(Duration.ofSeconds(10));
            awaitQuiet(NS + "/orders", before.size() + 1);
        } finally {
            second.stop();
        }
        assertThat(tap.about(NS + "/orders", LIFECYCLE)).filteredOn(lifecycleTo("DELETED")).hasSize(1);
        assertThat(tap.about(NS + "/kept")).hasSize(keptEvents);
    }

    @Test
    void aJobDeletedAndRecreatedWhileNotObservedGetsDeletedForTheOldUidThenIsObservedAnew() {
        deployAndAwaitStable("recreated");
        List<String> before = lifecycle(NS + "/recreated");
        String oldUid = deployment("recreated").getMetadata().getUid();

        observer.stop();
        deleteDirectly("recreated");
        String redeployId = bus.sendStructured("flink.job.deploy", NS + "/recreated",
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}");
        assertThat(bus.awaitResult(redeployId).path("outcome").asText()).isEqualTo("APPLIED");
        await().atMost(Duration.ofSeconds(20)).until(() -> "STABLE".equals(lifecycleState(deployment("recreated"))));
        String newUid = deployment("recreated").getMetadata().getUid();
        assertThat(newUid).isNotEqualTo(oldUid);
        observer.start();

        tap.await(NS + "/recreated", e -> lifecycleTo("STABLE").test(e) && newUid.equals(e.header("ce_resourceuid")));
        int n = before.size();
        awaitQuiet(NS + "/recreated", n + 2);
        List<EventTap.Event> all = tap.about(NS + "/recreated", LIFECYCLE);
        // The old uid's DELETED first, then the new resource's net change since nothing was published about it.
        assertThat(lifecycle(NS + "/recreated").subList(n, n + 2)).containsExactly("STABLE->DELETED", "null->STABLE");
        assertThat(all.get(n).header("ce_id")).isEqualTo(oldUid + "/deleted/" + LIFECYCLE);
        assertThat(all.get(n).header("ce_resourceuid")).isEqualTo(oldUid);
        assertThat(all.get(n + 1).header("ce_resourceuid")).isEqualTo(newUid);
        assertThat(all.get(n + 1).header("ce_causationid")).isEqualTo(redeployId);
    }

    private String deployAndAwaitStable(String name) {
        String id = bus.sendStructured("flink.job.deploy", NS + "/" + name,
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(1) + "}");
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        tap.await(NS + "/" + name, lifecycleTo("STABLE"));
        return id;
    }

    private static void deleteDirectly(String name) {
        kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> deployment(name) == null);
    }

    private static FlinkDeployment deployment(String name) {
        return kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
    }

    private static String lifecycleState(FlinkDeployment deployment) {
        return deployment == null || deployment.getStatus() == null || deployment.getStatus().getLifecycleState() == null
                ? null
                : deployment.getStatus().getLifecycleState().getValue();
    }

    private static List<String> lifecycle(String subject) {
        return tap.about(subject, LIFECYCLE).stream().map(e -> e.field("from") + "->" + e.field("to")).toList();
    }

    /** Waits until the subject has {@code count} lifecycle events and no more come for a while. */
    private static void awaitQuiet(String subject, int count) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).alias(subject + " lifecycle")
                .until(() -> lifecycle(subject), events -> events.size() == count);
    }
}
