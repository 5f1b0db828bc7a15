package io.flinkcommander.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One good command each, then one mutation per test: each rule names its field. */
class CommandParserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final CommandParser parser = new CommandParser();

    @Test
    void validDeployBecomesATypedCommand() {
        Parsed parsed = parser.parse(deploy(data -> {
        }));

        Command.Deploy deploy = (Command.Deploy) ((Parsed.Valid) parsed).command();
        assertThat(deploy.target()).isEqualTo(new JobRef("streaming", "orders-enricher"));
        assertThat(deploy.spec().getJob().getParallelism()).isEqualTo(2L);
        assertThat(deploy.spec().getFlinkVersion().getValue()).isEqualTo("v2_1");
        assertThat(deploy.labels()).containsEntry("team", "orders");
        assertThat(deploy.isSessionCluster()).isFalse();
    }

    @Test
    void deployWithoutJobIsASessionCluster() {
        Parsed parsed = parser.parse(deploy(data -> ((ObjectNode) data.get("spec")).remove("job")));

        assertThat(((Command.Deploy) ((Parsed.Valid) parsed).command()).isSessionCluster()).isTrue();
    }

    @Test
    void deployWithoutSpecIsRejectedAtDataSpec() {
        assertErrors(deploy(data -> data.remove("spec")), "data.spec", "is required");
    }

    @Test
    void parallelismGivenAsStringIsRejectedAtItsPath() {
        assertErrors(deploy(data -> job(data).put("parallelism", "2")), "data.spec.job.parallelism",
                "expected a number");
    }

    @Test
    void parallelismWithAFractionIsRejectedNotCutToAWholeNumber() {
        assertErrorAt(deploy(data -> job(data).put("parallelism", 2.5)), "data.spec.job.parallelism");
    }

    @Test
    void memoryGivenAsANumberIsRejectedNotReadAsBytes() {
        assertErrorAt(deploy(data -> ((ObjectNode) data.get("spec")).putObject("taskManager").putObject("resource")
                .put("memory", 2048)), "data.spec.taskManager.resource.memory");
    }

    @Test
    void parallelismBelowOneIsRejected() {
        assertErrors(deploy(data -> job(data).put("parallelism", 0)), "data.spec.job.parallelism",
                "must be at least 1, got 0");
    }

    @Test
    void unknownFieldInSpecIsRejectedAtItsPath() {
        assertErrors(deploy(data -> job(data).put("paralelism", 2)), "data.spec.job.paralelism", "unknown field");
    }

    @Test
    void upgradeModeOutsideTheCrdEnumIsRejectedWithTheAllowedValues() {
        assertErrors(deploy(data -> job(data).put("upgradeMode", "hot")), "data.spec.job.upgradeMode",
                "'hot' is not one of last-state, savepoint, stateless");
    }

    @Test
    void missingFlinkVersionIsRejected() {
        assertErrors(deploy(data -> ((ObjectNode) data.get("spec")).remove("flinkVersion")), "data.spec.flinkVersion",
                "is required");
    }

    @Test
    void deploymentNameThatIsNotAClusterNameIsRejectedAtSubject() {
        assertErrors(envelope("flink.job.deploy", "streaming/Orders_1", deployData()), "subject",
                "name 'Orders_1' is not a valid FlinkDeployment name: lower-case alphanumerics and '-', "
                        + "starting with a letter, at most 45 characters");
    }

    @Test
    void subjectWithoutNamespaceIsRejected() {
        assertErrors(envelope("flink.job.resume", "orders", JSON.createObjectNode()), "subject",
                "must be <namespace>/<name>, got 'orders'");
    }

    @Test
    void missingSubjectIsRejected() {
        assertErrors(envelope("flink.job.resume", null, JSON.createObjectNode()), "subject",
                "is required: <namespace>/<name> of the target resource");
    }

    @Test
    void unknownTypeIsRejectedWithTheKnownOnes() {
        Parsed parsed = parser.parse(envelope("flink.job.explode", "streaming/orders", JSON.createObjectNode()));

        FieldError error = ((Parsed.Invalid) parsed).errors().get(0);
        assertThat(error.path()).isEqualTo("type");
        assertThat(error.message()).startsWith("unknown command type 'flink.job.explode'; known: flink.job.deploy");
    }

    @Test
    void sessionJobWithoutDeploymentNameIsRejected() {
        ObjectNode data = (ObjectNode) read("""
                {"spec":{"job":{"jarURI":"local:///opt/flink/job.jar","parallelism":1}}}""");

        assertErrors(envelope("flink.sessionjob.deploy", "streaming/etl", data), "data.spec.deploymentName",
                "is required: the session cluster to run in");
    }

    @Test
    void suspendWithUnknownUpgradeModeIsRejected() {
        assertErrors(envelope("flink.job.suspend", "streaming/orders", (ObjectNode) read("{\"upgradeMode\":\"fast\"}")),
                "data.upgradeMode", "must be one of stateless, savepoint, last-state");
    }

    @Test
    void unknownTopLevelDataFieldIsRejected() {
        assertErrors(envelope("flink.job.suspend", "streaming/orders", (ObjectNode) read("{\"mode\":\"savepoint\"}")),
                "data.mode", "unknown field; allowed: upgradeMode");
    }

    @Test
    void annotationsUnderTheServicesOwnPrefixAreRejected() {
        assertErrors(deploy(data -> data.putObject("annotations").put("flink-commander.io/applied-commands", "[]")),
                "data.annotations.flink-commander.io/applied-commands",
                "the flink-commander.io/ prefix is reserved for Flink Commander");
    }

    @Test
    void missingSourceIsRejected() {
        CommandEnvelope noSource = new CommandEnvelope("c-1", "flink.job.resume", null, "streaming/orders", null,
                false, null, JSON.createObjectNode(), null);

        assertErrors(noSource, "source", "is required: who issued the command");
    }

    private void assertErrors(CommandEnvelope envelope, String path, String message) {
        Parsed parsed = parser.parse(envelope);
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        assertThat(((Parsed.Invalid) parsed).errors()).containsExactly(FieldError.at(path, message));
    }

    private void assertErrorAt(CommandEnvelope envelope, String path) {
        Parsed parsed = parser.parse(envelope);
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        assertThat(((Parsed.Invalid) parsed).errors()).extracting(FieldError::path).containsExactly(path);
    }

    private static CommandEnvelope deploy(Consumer<ObjectNode> mutation) {
        ObjectNode data = deployData();
        mutation.accept(data);
        return envelope("flink.job.deploy", "streaming/orders-enricher", data);
    }

    private static ObjectNode deployData() {
        return (ObjectNode) read("""
                {"spec":{"image":"flink:2.1","flinkVersion":"v2_1",
                  "job":{"jarURI":"local:///opt/flink/usrlib/orders.jar","parallelism":2,
                         "upgradeMode":"savepoint","state":"running"}},
                 "labels":{"team":"orders"}}""");
    }

    private static ObjectNode job(ObjectNode data) {
        return (ObjectNode) data.get("spec").get("job");
    }

    private static CommandEnvelope envelope(String type, String subject, ObjectNode data) {
        return new CommandEnvelope("c-1", type, "//ci", subject, null, false, null, data, null);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
