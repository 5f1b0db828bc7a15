package io.flinkcommander.it;

import static io.flinkcommander.it.EventTap.lifecycleTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.flinkcommander.observe.ResourceObserver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;

/**
 * What the service publishes about the jobs it observes, as a downstream consumer reads it from
 * the lifecycle and savepoints topics, and what the read side answers.
 */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class ObservedEventsTest {

    static final String NS = "observed";
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


    static String deploy(String name) {
        String id = bus.sendStructured("flink.job.deploy", NS + "/" + name,
                "{\"spec\":" + CommandFlowTest.APP_SPEC.formatted(2) + "}");
        assertThat(bus.awaitResult(id).path("outcome").asText()).isEqualTo("APPLIED");
        return id;
    }

    /** {@code from->to} of each lifecycle event about the job, in order. */
    static List<String> lifecycleOf(String name) {
        return tap.about(NS + "/" + name, LIFECYCLE).stream().map(e -> e.field("from") + "->" + e.field("to")).toList();
    }

    @Test
    void deployPublishesCreatedDeployedStableCausedByTheCommand() {
        String id = deploy("orders");

        tap.await(NS + "/orders", lifecycleTo("STABLE"));

        assertThat(lifecycleOf("orders")).containsExactly("null->CREATED", "CREATED->DEPLOYED", "DEPLOYED->STABLE");
        List<EventTap.Event> lifecycle = tap.about(NS + "/orders", LIFECYCLE);
        assertThat(lifecycle).allSatisfy(e -> {
            assertThat(e.header("ce_causationid")).isEqualTo(id);
            assertThat(e.header("ce_subject")).isEqualTo(NS + "/orders");
            assertThat(e.header("ce_specversion")).isEqualTo("1.0");
            assertThat(e.header("ce_source")).startsWith("//flink-commander/");
            assertThat(e.header("content-type")).isEqualTo("application/json");
            assertThat(e.record().key()).isEqualTo(NS + "/orders");
            assertThat(e.topic()).isEqualTo(EventTap.LIFECYCLE);
        });
        EventTap.Event stable = lifecycle.get(2);
        assertThat(stable.field("jobState")).isEqualTo("RUNNING");
        assertThat(stable.record().data().path("generation").asLong()).isEqualTo(1L);
        EventTap.Event running = tap.await(NS + "/orders", e -> "flink.job.status-changed".equals(e.type()));
        assertThat(running.field("from")).isNull();
        assertThat(running.field("to")).isEqualTo("RUNNING");
        assertThat(running.field("jobId")).isNotBlank();
        assertThat(running.header("ce_causationid")).isEqualTo(id);
    }

    @Test
    void suspendPublishesUpgradingThenSuspended() {
        deploy("suspended");
        tap.await(NS + "/suspended", lifecycleTo("STABLE"));
        String suspend = bus.sendStructured("flink.job.suspend", NS + "/suspended", "{}");

        tap.await(NS + "/suspended", lifecycleTo("SUSPENDED"));

        assertThat(lifecycleOf("suspended")).endsWith("STABLE->UPGRADING", "UPGRADING->SUSPENDED");
        assertThat(tap.about(NS + "/suspended", LIFECYCLE).get(4).header("ce_causationid")).isEqualTo(suspend);
        assertThat(tap.about(NS + "/suspended", "flink.job.status-changed").stream().map(e -> e.field("to")))
                .endsWith("FINISHED");
    }

    @Test
    void savepointIsTriggeredThenCompletedAndStaysInTheCatalogAfterTheJobIsDeleted() {
        deploy("saved");
        tap.await(NS + "/saved", lifecycleTo("STABLE"));
        String savepoint = bus.sendStructured("flink.job.savepoint", NS + "/saved", "{}");

        EventTap.Event completed = tap.await(NS + "/saved", e -> "flink.savepoint.completed".equals(e.type()));

        List<EventTap.Event> snapshots = tap.about(NS + "/saved").stream()
                .filter(e -> e.topic().equals(EventTap.SAVEPOINTS)).toList();
        assertThat(snapshots).extracting(EventTap.Event::type)
                .containsExactly("flink.savepoint.triggered", "flink.savepoint.completed");
        assertThat(snapshots).allSatisfy(e -> assertThat(e.header("ce_causationid")).isEqualTo(savepoint));
        String path = completed.field("path");
        assertThat(path).isNotBlank();
        assertThat(completed.field("kind")).isEqualTo("SAVEPOINT");
        assertThat(completed.field("triggerType")).isEqualTo("MANUAL");
        assertThat(completed.field("snapshotName")).startsWith("saved-savepoint-");
        assertThat(completed.field("resultTimestamp")).isNotBlank();
        assertThat(snapshots.get(0).field("path")).isNull();

        awaitCatalogPath("saved", path);
        bus.awaitResult(bus.sendStructured("flink.job.delete", NS + "/saved", "{}"));
        EventTap.Event deleted = tap.await(NS + "/saved", lifecycleTo("DELETED"));
        assertThat(deleted.field("from")).isEqualTo("STABLE");
        given().get("/api/jobs/" + NS + "/saved").then().statusCode(404);
        awaitCatalogPath("saved", path);
        given().get("/api/jobs/" + NS + "/saved/savepoints").then().statusCode(200)
                .body("[0].kind", equalTo("SAVEPOINT")).body("[0].triggerType", equalTo("MANUAL"));
    }

    @Test
    void jobsAreListedWithTheirObservedState() {
        deploy("listed");
        tap.await(NS + "/listed", lifecycleTo("STABLE"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/jobs/" + NS + "/listed").then()
                .statusCode(200)
                .body("kind", equalTo("FlinkDeployment"))
                .body("lifecycleState", equalTo("STABLE"))
                .body("jobState", equalTo("RUNNING"))
                .body("parallelism", equalTo(2)));
        assertThat(given().get("/api/jobs").then().statusCode(200).extract().jsonPath().getList("name"))
                .contains("listed");
    }

    @Test
    void operatorEventsArePublishedOncePerCount() {
        deploy("noisy");
        var event = new EventBuilder().withNewMetadata().withNamespace(NS).withName("noisy.spec-changed").endMetadata()
                .withNewInvolvedObject().withKind("FlinkDeployment").withNamespace(NS).withName("noisy")
                .withApiVersion("flink.apache.org/v1beta1").endInvolvedObject()
                .withReason("SpecChanged").withType("Normal").withMessage("UPGRADE change(s) detected").withCount(1)
                .build();
        kubernetes.v1().events().inNamespace(NS).resource(event).create();
        tap.await(NS + "/noisy", e -> "flink.job.operator-event".equals(e.type()));

        // As the operator does on a repeat (a merge patch: the service may have annotated the Event meanwhile).
        kubernetes.v1().events().inNamespace(NS).withName("noisy.spec-changed")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"count\":2}");
        tap.await(NS + "/noisy", e -> "flink.job.operator-event".equals(e.type()) && "2".equals(e.field("count")));

        List<EventTap.Event> operatorEvents = tap.about(NS + "/noisy", "flink.job.operator-event");
        assertThat(operatorEvents).extracting(e -> e.field("count")).containsExactly("1", "2");
        assertThat(operatorEvents.get(0).field("reason")).isEqualTo("SpecChanged");
        assertThat(operatorEvents.get(0).field("type")).isEqualTo("Normal");
        assertThat(operatorEvents.get(0).field("message")).isEqualTo("UPGRADE change(s) detected");
    }

    @Test
    void aRestartedObserverPublishesWhatHappenedMeanwhileOnceAndNothingAgain() {
        deploy("restarted");
        tap.await(NS + "/restarted", lifecycleTo("STABLE"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lastPublished("restarted").contains("\"STABLE\""));

        observer.stop();
        try {
            bus.awaitResult(bus.sendStructured("flink.job.suspend", NS + "/restarted", "{}"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "SUSPENDED".equals(
                    kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName("restarted").get()
                            .getStatus().getLifecycleState().getValue()));
        } finally {
            observer.start();
        }

        tap.await(NS + "/restarted", lifecycleTo("SUSPENDED"));
        // One partition per job: anything published again would have come before the new transition.
        assertThat(lifecycleOf("restarted"))
                .containsExactly("null->CREATED", "CREATED->DEPLOYED", "DEPLOYED->STABLE", "STABLE->SUSPENDED");
        List<String> ids = tap.about(NS + "/restarted").stream().map(e -> e.header("ce_id")).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(tap.about(NS + "/restarted", "flink.job.status-changed").stream().map(e -> e.field("to")))
                .containsExactly("RUNNING", "FINISHED");
    }

    static String lastPublished(String name) {
        FlinkDeployment d = kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
        return String.valueOf(d.getMetadata().getAnnotations().get("flink-commander.io/last-published"));
    }

    static void awaitCatalogPath(String name, String path) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Arrays.asList(given().get("/api/jobs/" + NS + "/" + name + "/savepoints").then().statusCode(200)
                        .extract().as(Object[].class)).toString()).contains(path));
    }
}
