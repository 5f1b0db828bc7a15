package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** GET /api/events: what a person with curl -N sees while a job is deployed and saved. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class EventStreamTest {

    static final String NS = "streamed";
    static CommandBus bus;

    @TestHTTPResource("/api/events")
    URL events;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
    }


    @Test
    void aDeploysLifecycleAndASavepointStreamAsTheyHappen() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(events + "?subject=" + NS + "/watched")).build(), HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body()))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("data:")) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        reader.setDaemon(true);
        reader.start();

        bus.awaitResult(bus.sendStructured("flink.job.deploy", NS + "/watched", CommandFlowTest.deployData(1)));
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("\"to\":\"STABLE\"")));
        bus.awaitResult(bus.sendStructured("flink.job.savepoint", NS + "/watched", "{}"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> lines.stream().anyMatch(l -> l.contains("\"type\":\"flink.savepoint.completed\"")));
        response.body().close();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(lines).allMatch(l -> l.contains("\"subject\":\"" + NS + "/watched\""));
        assertThat(lines.stream().filter(l -> l.contains("flink.job.lifecycle-changed")).map(l ->
                l.replaceAll(".*\"to\":\"([A-Z_]+)\".*", "$1")).toList()).startsWith("CREATED", "DEPLOYED", "STABLE");
        assertThat(lines).anyMatch(l -> l.contains("\"type\":\"flink.savepoint.triggered\""));
    }
}
