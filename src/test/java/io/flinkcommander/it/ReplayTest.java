package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.apply.CommandApplier;
import io.flinkcommander.apply.CommandContext;
import io.flinkcommander.apply.Outcome;
import io.flinkcommander.command.Command;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;

/** A command id has one effect, however often its command arrives. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class ReplayTest {

    static final String NS = "replay";
    static CommandBus bus;
    static KubernetesClient kubernetes;

    @Inject
    CommandApplier applier;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
        kubernetes = FlinkPlatformTestResource.platform().kubernetesClient();
    }


    static FlinkDeployment deployment(String name) {
        return kubernetes.resources(FlinkDeployment.class).inNamespace(NS).withName(name).get();
    }

    @Test
    void replayedSuspendDoesNotSuspendAResumedJobAgain() {
        String subject = NS + "/resumed";
        bus.awaitResult(bus.sendStructured("flink.job.deploy", subject, CommandFlowTest.deployData(1)));
        String suspend = UUID.randomUUID().toString();
        bus.sendStructured(suspend, "flink.job.suspend", subject, "{}");
        bus.awaitResult(suspend);
        bus.awaitResult(bus.sendStructured("flink.job.resume", subject, "{}"));
        long generation = deployment("resumed").getMetadata().getGeneration();

        bus.sendStructured(suspend, "flink.job.suspend", subject, "{}");

        await().atMost(Duration.ofSeconds(20)).until(() -> bus.resultsFor(suspend).size() == 2);
        assertThat(bus.resultsFor(suspend).get(1).data().get("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(deployment("resumed").getSpec().getJob().getState().getValue()).isEqualTo("running");
        assertThat(deployment("resumed").getMetadata().getGeneration()).isEqualTo(generation);
    }

    @Test
    void replayingAWholeStreamOfMixedCommandsHasNoSecondEffect() {
        record Sent(String id, String type, String subject, String data) {
        }
        List<Sent> stream = new ArrayList<>();
        for (int job = 0; job < 8; job++) {
            String subject = NS + "/stream-" + job;
            stream.add(new Sent(UUID.randomUUID().toString(), "flink.job.deploy", subject, CommandFlowTest.deployData(1)));
            stream.add(new Sent(UUID.randomUUID().toString(), "flink.job.deploy", subject, CommandFlowTest.deployData(3)));
            stream.add(new Sent(UUID.randomUUID().toString(), "flink.job.suspend", subject, "{}"));
            stream.add(new Sent(UUID.randomUUID().toString(), "flink.job.resume", subject, "{}"));
            stream.add(new Sent(UUID.randomUUID().toString(), "flink.job.suspend", subject,
                    "{\"upgradeMode\":\"stateless\"}"));
        }
        stream.forEach(c -> bus.sendStructured(c.id(), c.type(), c.subject(), c.data()));
        stream.forEach(c -> assertThat(bus.awaitResult(c.id()).get("outcome").asText()).isEqualTo("APPLIED"));
        Map<String, String> versionsBefore = new HashMap<>();
        for (int job = 0; job < 8; job++) {
            FlinkDeployment d = deployment("stream-" + job);
            versionsBefore.put(d.getMetadata().getName(), d.getMetadata().getGeneration() + "/"
                    + d.getSpec().getJob().getState().getValue() + "/" + d.getSpec().getJob().getParallelism());
        }

        stream.forEach(c -> bus.sendStructured(c.id(), c.type(), c.subject(), c.data()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> stream.stream().allMatch(c -> bus.resultsFor(c.id()).size() == 2));
        stream.forEach(c -> assertThat(bus.resultsFor(c.id()).get(1).data().get("outcome").asText())
                .as("second answer to %s", c.type()).isEqualTo("DUPLICATE"));
        for (int job = 0; job < 8; job++) {
            FlinkDeployment d = deployment("stream-" + job);
            assertThat(d.getMetadata().getGeneration() + "/" + d.getSpec().getJob().getState().getValue() + "/"
                    + d.getSpec().getJob().getParallelism()).isEqualTo(versionsBefore.get(d.getMetadata().getName()))
                    .isEqualTo(versionsBefore.get("stream-" + job)).endsWith("/suspended/3");
        }
    }

    @Test
    void replayingEveryKindOfCommandTakesNoSecondSavepointAndNoSecondRestart() {
        String subject = NS + "/everything";
        String vertex = "0a448493b4782967b150582570326227";
        List<String[]> stream = List.of(
                new String[] {"flink.job.deploy", CommandFlowTest.deployData(1)},
                new String[] {"flink.job.upgrade", "{\"patch\":{\"job\":{\"parallelism\":2}}}"},
                new String[] {"flink.job.scale", "{\"vertexParallelism\":{\"" + vertex + "\":3}}"},
                new String[] {"flink.job.restart", "{}"},
                new String[] {"flink.job.savepoint", "{}"},
                new String[] {"flink.job.checkpoint", "{}"},
                new String[] {"flink.job.configure-autoscaler", "{\"enabled\":true}"},
                new String[] {"flink.job.savepoint-policy", "{\"maxCount\":3}"},
                new String[] {"flink.job.suspend", "{}"},
                new String[] {"flink.job.resume", "{}"});
        List<String> ids = new ArrayList<>();
        for (String[] command : stream) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            bus.sendStructured(id, command[0], subject, command[1]);
            assertThat(bus.awaitResult(id).get("outcome").asText()).as(command[0]).isEqualTo("APPLIED");
        }
        var operator = FlinkPlatformTestResource.platform().operator();
        await().atMost(Duration.ofSeconds(20)).until(() -> operator.snapshotsCompleted(NS, "everything") == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> "STABLE".equals(
                deployment("everything").getStatus().getLifecycleState().getValue()));
        int starts = operator.deploymentsStarted(NS, "everything");
        long generation = deployment("everything").getMetadata().getGeneration();
        int snapshots = kubernetes.resources(org.apache.flink.v1beta1.FlinkStateSnapshot.class).inNamespace(NS).list()
                .getItems().size();

        for (int i = 0; i < stream.size(); i++) {
            bus.sendStructured(ids.get(i), stream.get(i)[0], subject, stream.get(i)[1]);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> bus.resultsFor(id).size() == 2));
        ids.forEach(id -> assertThat(bus.resultsFor(id).get(1).data().get("outcome").asText()).isEqualTo("DUPLICATE"));
        assertThat(deployment("everything").getMetadata().getGeneration()).isEqualTo(generation);
        assertThat(operator.deploymentsStarted(NS, "everything")).isEqualTo(starts);
        assertThat(operator.snapshotsCompleted(NS, "everything")).isEqualTo(2);
        assertThat(kubernetes.resources(org.apache.flink.v1beta1.FlinkStateSnapshot.class).inNamespace(NS).list()
                .getItems()).hasSize(snapshots);
    }

    @Test
    void theSameRecordReadAgainAfterAnAbortedTransactionIsAnsweredAsTheFirstTimeWithoutASecondWrite() {
        Command deploy = new Command.Deploy(new JobRef(NS, "redelivered"),
                io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                        CommandFlowTest.APP_SPEC.formatted(2), org.apache.flink.v1beta1.FlinkDeploymentSpec.class),
                Map.of(), Map.of());
        CommandContext origin = new CommandContext("cmd-redelivered", "flink.commands-0@41", false);

        Outcome first = applier.apply(deploy, origin);
        String versionAfterFirst = deployment("redelivered").getMetadata().getResourceVersion();
        Outcome again = applier.apply(deploy, origin);
        Outcome fromAnotherRecord = applier.apply(deploy, new CommandContext("cmd-redelivered", "flink.commands-2@7", false));

        assertThat(first).isInstanceOf(Outcome.Applied.class);
        assertThat(again).isInstanceOf(Outcome.Applied.class);
        assertThat(fromAnotherRecord).isInstanceOf(Outcome.Duplicate.class);
        assertThat(deployment("redelivered").getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(deployment("redelivered").getMetadata().getAnnotations().get("flink-commander.io/applied-commands"))
                .isEqualTo("[{\"id\":\"cmd-redelivered\",\"record\":\"flink.commands-0@41\"}]");
        assertThat(versionAfterFirst).isNotNull();
    }
}
