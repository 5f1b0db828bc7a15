package io.flinkcommander.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.flinkcommander.fixture.FlinkPlatformTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.apache.flink.v1beta1.FlinkDeployment;

/** One job's commands apply in the order sent, while many jobs are in flight at once. */
@QuarkusTest
@WithTestResource(FlinkPlatformTestResource.class)
class OrderingTest {

    static final String NS = "ordering";
    static final int JOBS = 24;
    static CommandBus bus;

    @BeforeAll
    static void connect() {
        bus = CommandBus.shared();
    }


    @Test
    void eachJobsCommandsApplyInOrderWhileJobsInterleave() {
        List<List<String>> sentPerJob = new ArrayList<>();
        for (int job = 0; job < JOBS; job++) {
            sentPerJob.add(new ArrayList<>());
        }
        // Round-robin over jobs, so every batch the service reads mixes many jobs.
        String[][] steps = {
            {"flink.job.deploy", CommandFlowTest.deployData(1)},
            {"flink.job.suspend", "{}"},
            {"flink.job.resume", "{}"},
            {"flink.job.deploy", CommandFlowTest.deployData(2)},
            {"flink.job.suspend", "{\"upgradeMode\":\"savepoint\"}"},
            {"flink.job.resume", "{}"},
            {"flink.job.deploy", CommandFlowTest.deployData(5)},
        };
        for (String[] step : steps) {
            for (int job = 0; job < JOBS; job++) {
                sentPerJob.get(job).add(bus.sendStructured(step[0], NS + "/job-" + job, step[1]));
            }
        }

        for (int job = 0; job < JOBS; job++) {
            List<String> sent = sentPerJob.get(job);
            sent.forEach(bus::awaitResult);
            String key = NS + "/job-" + job;
            List<String> answered = bus.results().stream().filter(r -> key.equals(r.key()))
                    .map(r -> r.data().get("commandId").asText()).collect(Collectors.toList());
            assertThat(answered).as("results of %s in publishing order", key).containsExactlyElementsOf(sent);
            assertThat(sent).allSatisfy(id -> assertThat(bus.resultsFor(id).get(0).data().get("outcome").asText())
                    .as("outcome of %s", id).isEqualTo("APPLIED"));
            FlinkDeployment last = FlinkPlatformTestResource.platform().kubernetesClient()
                    .resources(FlinkDeployment.class).inNamespace(NS).withName("job-" + job).get();
            assertThat(last.getSpec().getJob().getParallelism()).isEqualTo(5L);
            assertThat(last.getSpec().getJob().getState().getValue()).isEqualTo("running");
            assertThat(last.getSpec().getJob().getUpgradeMode().getValue()).isEqualTo("savepoint");
        }
    }
}
