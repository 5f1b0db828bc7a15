package io.flinkcommander.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** POST /api/commands, health and metrics: what a person with curl sees. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class HttpDoorTest {

    static String event(String id, String type, String subject, String data) {
        return """
                {"specversion":"1.0","id":"%s","source":"//curl","type":"%s","subject":"%s","data":%s}"""
                .formatted(id, type, subject, data);
    }

    @Test
    void postedCommandWithWaitAnswersWithItsResult() {
        String id = UUID.randomUUID().toString();

        given().contentType("application/cloudevents+json")
                .body(event(id, "flink.job.deploy", "http/orders", CommandFlowTest.deployData(2)))
                .when().post("/api/commands?wait=PT20S")
                .then().statusCode(200)
                .body("commandId", equalTo(id))
                .body("outcome", equalTo("APPLIED"))
                .body("commandType", equalTo("flink.job.deploy"))
                .body("source", equalTo("//curl"))
                .body("generation", equalTo(1));
    }

    @Test
    void postedCommandWithoutWaitIsAccepted() {
        String id = UUID.randomUUID().toString();

        given().contentType("application/cloudevents+json")
                .body(event(id, "flink.job.delete", "http/gone", "{}"))
                .when().post("/api/commands")
                .then().statusCode(202).body("commandId", equalTo(id));
    }

    @Test
    void invalidCommandIsA400WithTheFieldPath() {
        given().contentType("application/cloudevents+json")
                .body(event("bad-1", "flink.job.suspend", "http/x", "{\"upgradeMode\":\"fast\"}"))
                .when().post("/api/commands")
                .then().statusCode(400)
                .body("commandId", equalTo("bad-1"))
                .body("errors[0].path", equalTo("data.upgradeMode"))
                .body("errors[0].message", equalTo("must be one of stateless, savepoint, last-state"));
    }

    @Test
    void bodyThatIsNotACloudEventIsA400() {
        given().contentType("application/json").body("[1,2]")
                .when().post("/api/commands")
                .then().statusCode(400).body("errors[0].message", notNullValue());
    }

    @Test
    void readinessReportsTheKubernetesApi() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'kubernetes-api' }.status", equalTo("UP"));
    }

    @Test
    void metricsCountResultsByTypeAndOutcome() {
        String id = UUID.randomUUID().toString();
        given().contentType("application/cloudevents+json")
                .body(event(id, "flink.job.resume", "http/missing", "{}"))
                .when().post("/api/commands?wait=PT20S").then().statusCode(200).body("outcome", equalTo("REJECTED"));

        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("commander_command_results_total{outcome=\"REJECTED\",type=\"flink.job.resume\"}"))
                .body(containsString("commander_commands_received_total{type=\"flink.job.resume\"}"))
                .body(containsString("commander_command_apply_seconds_bucket{type=\"flink.job.resume\""))
                .body(containsString("commander_command_end_to_end_seconds_bucket{le="));
    }

    @Test
    void metricsCountPublishedEventsByType() {
        given().contentType("application/cloudevents+json")
                .body(event(UUID.randomUUID().toString(), "flink.job.deploy", "http/metered", CommandFlowTest.deployData(1)))
                .when().post("/api/commands?wait=PT20S").then().statusCode(200).body("outcome", equalTo("APPLIED"));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> given().get("/q/metrics")
                .asString().contains("commander_events_published_total{type=\"flink.job.lifecycle-changed\"}"));
    }

}
