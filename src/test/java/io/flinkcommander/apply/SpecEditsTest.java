package io.flinkcommander.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.flinkcommander.command.Command;
import io.flinkcommander.command.CommandType;
import io.flinkcommander.command.FieldError;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.command.UpgradeMode;

/** Each lifecycle command as an edit of a spec, without Kubernetes. */
class SpecEditsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JobRef REF = new JobRef("streaming", "orders");
    private static final SpecEdits.Target DEPLOYMENT = new SpecEdits.Target(FlinkKind.DEPLOYMENT, REF, 42L);
    private static final SpecEdits.Target SESSION_JOB = new SpecEdits.Target(FlinkKind.SESSION_JOB, REF, 42L);

    @Test
    void suspendWithAModeSetsStateAndMode() {
        ObjectNode spec = running();

        assertThat(edit(new Command.Suspend(REF, UpgradeMode.SAVEPOINT), DEPLOYMENT, spec, facts(null, null))).isNull();

        assertThat(spec.at("/job/state").asText()).isEqualTo("suspended");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
    }

    @Test
    void suspendingASessionJobWithLastStateIsRejected() {
        assertThat(edit(new Command.Suspend(REF, UpgradeMode.LAST_STATE), SESSION_JOB, running(), facts(null, null))
                .errors()).containsExactly(FieldError.at("data.upgradeMode", "last-state is not supported for session jobs"));
    }

    @Test
    void restartWritesTheNonce() {
        ObjectNode spec = running();

        edit(new Command.Restart(REF), DEPLOYMENT, spec, facts(null, null));

        assertThat(spec.get("restartNonce").asLong()).isEqualTo(42L);
    }

    @Test
    void restartOfASessionJobIsRejected() {
        assertThat(edit(new Command.Restart(REF), SESSION_JOB, running(), facts(null, null)).errors())
                .containsExactly(FieldError.at("subject", "restart applies to FlinkDeployments; streaming/orders is a "
                        + "FlinkSessionJob (upgrade it to restart its job)"));
    }

    @Test
    void savepointByNonceWhenSnapshotResourcesAreOff() {
        ObjectNode spec = running();

        edit(new Command.TriggerSavepoint(REF, null, null, null), DEPLOYMENT, spec, facts(null, null));

        assertThat(spec.at("/job/savepointTriggerNonce").asLong()).isEqualTo(42L);
    }

    @Test
    void checkpointOfASessionClusterIsRejected() {
        ObjectNode sessionCluster = spec("{\"image\":\"flink:2.1\"}");

        assertThat(edit(new Command.TriggerCheckpoint(REF), DEPLOYMENT, sessionCluster, facts(null, null)).errors())
                .containsExactly(FieldError.at("subject", "streaming/orders is a session cluster: it has no job to checkpoint"));
    }

    @Test
    void redeployFromTheLatestSavepointUsesItsPathAndANonce() {
        ObjectNode spec = running();

        edit(new Command.RedeployFromSavepoint(REF, null, true), DEPLOYMENT, spec, facts(null, "s3://sp/1"));

        assertThat(spec.at("/job/initialSavepointPath").asText()).isEqualTo("s3://sp/1");
        assertThat(spec.at("/job/savepointRedeployNonce").asLong()).isEqualTo(42L);
    }

    @Test
    void redeployFromTheLatestSavepointWithoutAnyIsRejected() {
        assertThat(edit(new Command.RedeployFromSavepoint(REF, null, true), DEPLOYMENT, running(), facts(null, null))
                .errors()).containsExactly(FieldError.at("data.latest", "no completed savepoint is known for streaming/orders"));
    }

    @Test
    void scalingVerticesMergesIntoExistingOverrides() {
        ObjectNode spec = running();
        ((ObjectNode) spec.with("flinkConfiguration")).put(SpecRules.VERTEX_OVERRIDES,
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:2,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:3");

        edit(new Command.Scale(REF, null, Map.of("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 6, "cccccccccccccccccccccccccccccccc", 1)),
                DEPLOYMENT, spec, facts(null, null));

        assertThat(spec.at("/flinkConfiguration/" + SpecRules.VERTEX_OVERRIDES).asText()).isEqualTo(
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:2,bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:6,cccccccccccccccccccccccccccccccc:1");
    }

    @Test
    void rollbackReplacesTheSpecWithTheLastStableOne() {
        ObjectNode spec = running();
        spec.with("job").put("parallelism", 9);

        edit(new Command.Rollback(REF), DEPLOYMENT, spec, facts(running(), null));

        assertThat(spec).isEqualTo(running());
    }

    @Test
    void rollbackWithoutAStableSpecIsRejected() {
        assertThat(edit(new Command.Rollback(REF), DEPLOYMENT, running(), facts(null, null)).errors())
                .containsExactly(FieldError.at("subject", "streaming/orders has no stable spec to roll back to "
                        + "(status.reconciliationStatus.lastStableSpec is empty)"));
    }

    @Test
    void upgradeCannotTurnAnApplicationIntoASessionCluster() {
        assertThat(edit(new Command.Upgrade(REF, spec("{\"job\":null}")), DEPLOYMENT, running(), facts(null, null))
                .errors()).extracting(FieldError::path).containsExactly("data.patch.job");
    }

    @Test
    void configureRemovesKeysSetToNull() {
        ObjectNode spec = running();
        spec.with("flinkConfiguration").put("job.autoscaler.metrics.window", "5m");
        java.util.Map<String, String> settings = new java.util.HashMap<>();
        settings.put("job.autoscaler.enabled", "true");
        settings.put("job.autoscaler.metrics.window", null);

        edit(new Command.Configure(REF, CommandType.CONFIGURE_AUTOSCALER, settings), DEPLOYMENT, spec, facts(null, null));

        assertThat(spec.get("flinkConfiguration")).isEqualTo(spec("{\"job.autoscaler.enabled\":\"true\"}"));
    }

    @Test
    void autoscalerIsForDeploymentsOnly() {
        assertThat(edit(new Command.Configure(REF, CommandType.CONFIGURE_AUTOSCALER, Map.of("job.autoscaler.enabled",
                "true")), SESSION_JOB, running(), facts(null, null))).isNotNull();
    }

    private static Outcome.Rejected edit(Command command, SpecEdits.Target target, ObjectNode spec,
            SpecEdits.Facts facts) {
        return SpecEdits.of(command).apply(target, spec, facts);
    }

    private static SpecEdits.Facts facts(JsonNode stable, String latestSavepoint) {
        return new SpecEdits.Facts() {
            public JsonNode lastStableSpec() {
                return stable;
            }

            public String latestSavepoint() {
                return latestSavepoint;
            }
        };
    }

    private static ObjectNode running() {
        return spec("""
                {"image":"flink:2.1","job":{"jarURI":"local:///j.jar","parallelism":2,"state":"running"}}""");
    }

    private static ObjectNode spec(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
