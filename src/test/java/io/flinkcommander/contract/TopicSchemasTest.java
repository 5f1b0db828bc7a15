package io.flinkcommander.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.flinkcommander.command.CommandEnvelope;
import io.flinkcommander.command.CommandParser;
import io.flinkcommander.command.CommandType;
import io.flinkcommander.command.FieldError;
import io.flinkcommander.command.Parsed;
import io.flinkcommander.events.CommandResult;

/**
 * Keeps kafka-topics/ (AsyncAPI document and JSON Schemas) true: every reference resolves, every
 * schema compiles, the documented examples are valid, invalid data fails where expected, and the
 * command types and result fields are the ones the code puts on the wire.
 */
class TopicSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path topicsDir;
    private static Path schemasDir;
    private static JsonNode asyncApi;
    private static SchemaRegistry registry;

    @BeforeAll
    static void load() throws IOException {
        topicsDir = projectBaseDir().resolve("kafka-topics").toAbsolutePath().normalize();
        schemasDir = topicsDir.resolve("schemas");
        asyncApi = new YAMLMapper().readTree(topicsDir.resolve("asyncapi.yaml").toFile());
        String schemasUri = schemasDir.toUri().toString();
        // Only files under kafka-topics/schemas are served: a $ref anywhere else cannot resolve.
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(iri -> iri.startsWith(schemasUri) ? read(Path.of(
                        java.net.URI.create(iri))) : null));
    }

    // --- (a) references and compilation ----------------------------------------------------------

    @Test
    void everyReferenceInTheAsyncApiDocumentResolvesToASchemaFileOrAnInternalComponent() {
        List<String> refs = refs(asyncApi);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            if (ref.startsWith("#")) {
                assertThat(asyncApi.at(ref.substring(1)).isMissingNode()).as("internal reference %s", ref).isFalse();
            } else {
                Path file = fileOf(topicsDir, ref);
                assertThat(file).as("%s lies under kafka-topics/schemas", ref).startsWith(schemasDir);
                assertThat(file).as("%s exists", ref).isRegularFile();
                assertThat(readJson(file).at(fragmentOf(ref)).isMissingNode()).as("fragment of %s", ref).isFalse();
                schemaAt(file, fragmentOf(ref));
            }
        }
    }

    @Test
    void everySchemaFileIsDraft07CompilesAndAcceptsItsOwnExamples() throws IOException {
        Schema metaSchema = registry.getSchema(SchemaLocation.of("http://json-schema.org/draft-07/schema"));
        try (Stream<Path> files = Files.walk(schemasDir)) {
            List<Path> schemaFiles = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(schemaFiles).hasSizeGreaterThan(25);
            for (Path file : schemaFiles) {
                JsonNode node = readJson(file);
                assertThat(node.path("$schema").asText()).as(file.toString())
                        .isEqualTo("http://json-schema.org/draft-07/schema#");
                assertThat(metaSchema.validate(node)).as("%s against the draft-07 meta-schema", file).isEmpty();
                Schema schema = schemaAt(file, "");
                for (JsonNode example : node.path("examples")) {
                    assertThat(messages(schema.validate(example))).as("example %s of %s", example, file).isEmpty();
                }
                for (String ref : refs(node)) {
                    Path target = ref.startsWith("#") ? file : fileOf(file.getParent(), ref);
                    assertThat(target).as("%s in %s", ref, file).startsWith(schemasDir).isRegularFile();
                    assertThat(readJson(target).at(fragmentOf(ref)).isMissingNode()).as("%s in %s", ref, file)
                            .isFalse();
                }
            }
        }
    }

    // --- (b) examples, valid and invalid --------------------------------------------------------

    @Test
    void everyMessageExampleMatchesItsHeadersAndPayloadSchemas() {
        JsonNode messages = asyncApi.path("components").path("messages");
        assertThat(messages.size()).isEqualTo(CommandType.values().length * 2 + 8 + 1 + 1);
        messages.fields().forEachRemaining(message -> {
            JsonNode definition = message.getValue();
            assertThat(definition.path("examples").size()).as("examples of %s", message.getKey()).isPositive();
            for (JsonNode example : definition.path("examples")) {
                String what = message.getKey() + " " + example.path("name").asText();
                assertThat(messages(schemaOfRef(definition.path("headers")).validate(example.path("headers"))))
                        .as("headers of %s", what).isEmpty();
                if (definition.path("payload").has("$ref")) {
                    assertThat(messages(schemaOfRef(definition.path("payload")).validate(example.path("payload"))))
                            .as("payload of %s", what).isEmpty();
                }
            }
        });
    }

    /** The documented data of every command type is also what the service's own parser accepts. */
    @Test
    void everyDocumentedCommandExampleIsAcceptedByTheParser() {
        CommandParser parser = new CommandParser();
        for (CommandType type : CommandType.values()) {
            JsonNode examples = readJson(commandSchema(type)).path("examples");
            assertThat(examples.size()).as(type.wireName()).isPositive();
            for (JsonNode example : examples) {
                Parsed parsed = parser.parse(envelope(type, example));
                assertThat(parsed).as("%s %s: %s", type.wireName(), example, parsed).isInstanceOf(Parsed.Valid.class);
            }
        }
    }

    static Stream<Arguments> invalidCommandData() {
        String deploy = "flink.job.deploy";
        String spec = "\"spec\": {\"flinkVersion\": \"v2_1\", \"job\": {\"jarURI\": \"local:///a.jar\"}}";
        return Stream.of(
                Arguments.of(deploy, "{\"spec\": {\"flinkVersion\": \"v2_1\", \"job\": {\"parallelism\": 0}}}",
                        "/spec/job/parallelism", "data.spec.job.parallelism"),
                Arguments.of(deploy, "{\"spec\": {\"image\": \"flink:2.1\"}}", "/spec", "data.spec.flinkVersion"),
                Arguments.of(deploy, "{" + spec + ", \"labels\": {\"replicas\": 3}}", "/labels/replicas",
                        "data.labels.replicas"),
                Arguments.of(deploy, "{" + spec + ", \"annotations\": {\"flink-commander.io/applied-commands\": \"[]\"}}",
                        "/annotations", "data.annotations.flink-commander.io/applied-commands"),
                Arguments.of("flink.sessionjob.deploy", "{\"spec\": {\"deploymentName\": \"session\", \"job\": {}}}",
                        "/spec/job", "data.spec.job.jarURI"),
                Arguments.of("flink.job.upgrade", "{\"patch\": {}}", "/patch", "data.patch"),
                Arguments.of("flink.job.suspend", "{\"upgradeMode\": \"graceful\"}", "/upgradeMode", "data.upgradeMode"),
                Arguments.of("flink.job.resume", "{\"force\": true}", "", "data.force"),
                Arguments.of("flink.job.savepoint", "{\"formatType\": \"canonical\"}", "/formatType", "data.formatType"),
                Arguments.of("flink.job.savepoint", "{\"disposeOnDelete\": \"yes\"}", "/disposeOnDelete",
                        "data.disposeOnDelete"),
                Arguments.of("flink.job.redeploy-from-savepoint", "{}", "", "data.savepointPath"),
                Arguments.of("flink.job.redeploy-from-savepoint", "{\"savepointPath\": \"s3://sp/1\", \"latest\": true}",
                        "/savepointPath", "data.latest"),
                Arguments.of("flink.job.scale", "{\"parallelism\": 2, \"vertexParallelism\": {\"bc764cd8ddf7a0cff126f51c16239658\": 2}}",
                        "", "data.parallelism"),
                Arguments.of("flink.job.scale", "{\"vertexParallelism\": {\"map\": 2}}", "/vertexParallelism",
                        "data.vertexParallelism.map"),
                Arguments.of("flink.job.scale", "{\"parallelism\": \"4\"}", "/parallelism", "data.parallelism"),
                Arguments.of("flink.job.configure-autoscaler", "{\"targetUtilization\": 0.5}", "", "data.enabled"),
                Arguments.of("flink.job.configure-autoscaler", "{\"enabled\": true, \"targetUtilization\": 0}",
                        "/targetUtilization", "data.targetUtilization"),
                Arguments.of("flink.job.configure-autoscaler", "{\"enabled\": true, \"metricsWindow\": \"5 mins\"}",
                        "/metricsWindow", "data.metricsWindow"),
                Arguments.of("flink.job.savepoint-policy", "{}", "", "data"),
                Arguments.of("flink.job.savepoint-policy", "{\"maxCount\": 0}", "/maxCount", "data.maxCount"));
    }

    /** One mutation each: the schema fails at the expected place and the parser rejects the same field. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidCommandData")
    void invalidCommandDataFailsInTheSchemaAndInTheParser(String type, String data, String schemaPath,
            String parserPath) throws IOException {
        JsonNode node = JSON.readTree(data);
        CommandType commandType = CommandType.fromWire(type).orElseThrow();
        List<Error> errors = schemaAt(commandSchema(commandType), "").validate(node);
        assertThat(errors).as("schema errors for %s", data).isNotEmpty();
        assertThat(errors).extracting(e -> e.getInstanceLocation().toString()).as(messages(errors).toString())
                .contains(schemaPath.isEmpty() ? "" : schemaPath);

        Parsed parsed = new CommandParser().parse(envelope(commandType, node));
        assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
        assertThat(((Parsed.Invalid) parsed).errors()).extracting(FieldError::path).contains(parserPath);

        ObjectNode event = structured(commandType, node);
        assertThat(schemaAt(schemasDir.resolve("command-event.json"), "/definitions/" + type).validate(event))
                .as("structured %s", data).isNotEmpty();
    }

    @Test
    void structuredEnvelopeChecksTheAttributesAndPicksTheDataSchemaByType() throws IOException {
        Schema envelope = schemaAt(schemasDir.resolve("command-event.json"), "");
        ObjectNode ok = structured(CommandType.SCALE, JSON.readTree("{\"parallelism\": 3}"));
        assertThat(messages(envelope.validate(ok))).isEmpty();

        assertThat(locations(envelope.validate(ok.deepCopy().put("subject", "Streaming/orders")))).contains("/subject");
        assertThat(locations(envelope.validate(ok.deepCopy().put("specversion", "0.3")))).contains("/specversion");
        assertThat(locations(envelope.validate(ok.deepCopy().put("type", "flink.job.explode")))).contains("/type");
        ObjectNode noData = ok.deepCopy();
        noData.remove("data");
        assertThat(envelope.validate(noData)).as("scale needs data").isNotEmpty();
        ObjectNode resume = structured(CommandType.RESUME, JSON.createObjectNode());
        resume.remove("data");
        assertThat(messages(envelope.validate(resume))).as("resume takes none").isEmpty();
        assertThat(messages(envelope.validate(resume.deepCopy().put("dryrun", true)))).isEmpty();
        ObjectNode longName = structured(CommandType.DEPLOY, readJson(commandSchema(CommandType.DEPLOY))
                .path("examples").get(0));
        longName.put("subject", "streaming/" + "a".repeat(46));
        assertThat(locations(envelope.validate(longName))).as("FlinkDeployment names are at most 45").contains("/subject");
        assertThat(new CommandParser().parse(envelope(CommandType.DEPLOY, longName.get("data"), longName.get("subject")
                .asText()))).isInstanceOf(Parsed.Invalid.class);
    }

    @Test
    void binaryHeadersNeedTheRequiredAttributesAndTheRightType() throws IOException {
        Schema deployHeaders = schemaAt(schemasDir.resolve("headers/command-binary.json"), "/definitions/flink.job.deploy");
        ObjectNode headers = (ObjectNode) JSON.readTree("""
                {"ce_specversion": "1.0", "ce_id": "d-1", "ce_source": "//me", "ce_type": "flink.job.deploy",
                 "ce_subject": "streaming/orders", "ce_dryrun": "true", "content-type": "application/json"}""");
        assertThat(messages(deployHeaders.validate(headers))).isEmpty();
        assertThat(locations(deployHeaders.validate(headers.deepCopy().put("ce_type", "flink.job.resume"))))
                .contains("/ce_type");
        ObjectNode noId = headers.deepCopy();
        noId.remove("ce_id");
        assertThat(deployHeaders.validate(noId)).isNotEmpty();
        assertThat(deployHeaders.validate(headers.deepCopy().put("content-type", "application/cloudevents+json")))
                .as("that content-type means structured mode").isNotEmpty();
    }

    /** Builds the service's own result record for every outcome and checks its JSON against the schema. */
    @Test
    void theServicesResultRecordMatchesTheResultSchemaForEveryOutcome() throws IOException {
        Schema schema = resultSchema();
        JsonNode rendered = JSON.readTree("{\"apiVersion\": \"flink.apache.org/v1beta1\", \"kind\": \"FlinkDeployment\"}");
        List<CommandResult> results = List.of(
                new CommandResult("c1", "flink.job.suspend", "APPLIED", null, List.of(), "1234", 7L, "//ci", null),
                new CommandResult("c2", "flink.job.delete", "APPLIED", "already absent", List.of(), null, null, "//ci", null),
                new CommandResult("c3", "flink.job.scale", "REJECTED", "Invalid",
                        List.of(FieldError.at("data.parallelism", "must be at least 1, got 0")), null, null, "//ci", null),
                new CommandResult("c4", "flink.job.explode", "REJECTED", "Invalid",
                        List.of(FieldError.at("type", "unknown command type")), null, null, null, null),
                new CommandResult("c5", "flink.job.upgrade", "REJECTED", "PolicyViolation",
                        List.of(FieldError.at("data.patch.image", "not an allowed registry")), null, null, "//ci", null),
                new CommandResult("c6", "flink.job.deploy", "FAILED", "Kubernetes API refused the change: 403",
                        List.of(), null, null, "//ci", null),
                new CommandResult("c7", "flink.job.suspend", "DUPLICATE",
                        "this command id was applied before; nothing changed", List.of(), "1234", 7L, "//ci", null),
                new CommandResult("c8", "flink.job.resume", "DRY_RUN", null, List.of(), null, null, "//ci", rendered));
        Set<String> outcomes = new TreeSet<>();
        for (CommandResult result : results) {
            JsonNode json = JSON.readTree(JSON.writeValueAsBytes(result));
            assertThat(messages(schema.validate(json))).as(json.toString()).isEmpty();
            outcomes.add(result.outcome());
        }
        assertThat(outcomes).containsExactlyInAnyOrderElementsOf(
                enumOf("events/flink.command.result.json", "/properties/outcome/enum"));
    }

    @Test
    void resultsThatBreakTheOutcomeRulesFail() throws IOException {
        Schema schema = resultSchema();
        ObjectNode applied = (ObjectNode) JSON.valueToTree(
                new CommandResult("c1", "flink.job.suspend", "APPLIED", null, List.of(), "1", 1L, "//ci", null));
        assertThat(locations(schema.validate(applied.deepCopy().put("outcome", "OK")))).contains("/outcome");
        assertThat(locations(schema.validate(applied.deepCopy().put("outcome", "DRY_RUN")))).as("no rendered")
                .contains("");
        assertThat(locations(schema.validate(applied.deepCopy().put("commandType", "flink.job.explode"))))
                .as("only a rejected command may have an unknown type").contains("/commandType");
        assertThat(locations(schema.validate(applied.deepCopy().put("outcome", "REJECTED")))).contains("/errors");
        ObjectNode withoutReason = applied.deepCopy();
        withoutReason.remove("reason");
        assertThat(schema.validate(withoutReason)).as("every field but rendered is always present").isNotEmpty();
        assertThat(locations(schema.validate(applied.deepCopy().put("extra", 1)))).contains("");
    }

    static Stream<Arguments> invalidEventData() {
        String completed = "{\"kind\": \"SAVEPOINT\", \"triggerType\": \"MANUAL\", \"formatType\": \"CANONICAL\", "
                + "\"path\": \"s3://sp/1\", \"triggerTimestamp\": \"2026-11-20T10:05:00Z\", \"resultTimestamp\": \"2026-11-20T10:05:42Z\"";
        return Stream.of(
                Arguments.of("flink.job.lifecycle-changed", "{\"from\": null, \"to\": \"RUNNING\", \"jobState\": null, "
                        + "\"generation\": 1, \"observedGeneration\": null}", "/to"),
                Arguments.of("flink.job.status-changed", "{\"from\": \"CREATED\", \"to\": \"RUNNING\", \"jobId\": \"J1\"}",
                        "/jobId"),
                Arguments.of("flink.job.operator-event", "{\"reason\": \"JobException\", \"type\": \"Error\", "
                        + "\"message\": \"boom\", \"count\": 1}", "/type"),
                Arguments.of("flink.savepoint.completed", completed.replace("CANONICAL", "INCREMENTAL") + "}", "/formatType"),
                Arguments.of("flink.savepoint.completed", completed.replace("2026-11-20T10:05:00Z", "yesterday") + "}",
                        "/triggerTimestamp"),
                Arguments.of("flink.savepoint.completed", completed.replace("\"s3://sp/1\"", "null") + "}", "/path"),
                Arguments.of("flink.savepoint.failed", completed + "}", ""),
                Arguments.of("flink.savepoint.triggered", completed + "}", "/resultTimestamp"),
                Arguments.of("flink.scaling.decided", "{\"origin\": \"MANUAL\", \"applied\": true, \"vertices\": "
                        + "[{\"vertexId\": \"bc764cd8ddf7a0cff126f51c16239658\", \"from\": 2, \"to\": 0}]}", "/vertices/0/to"),
                Arguments.of("flink.scaling.decided", "{\"origin\": \"MANUAL\", \"applied\": true, \"vertices\": []}",
                        "/vertices"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidEventData")
    void invalidEventDataFailsWhereExpected(String type, String data, String path) throws IOException {
        List<Error> errors = schemaAt(schemasDir.resolve("events/" + type + ".json"), "").validate(JSON.readTree(data));
        assertThat(locations(errors)).as(messages(errors).toString()).contains(path);
    }

    // --- (c) schema and code cannot drift ----------------------------------------------------------

    @Test
    void theSchemasListExactlyTheServicesCommandTypes() throws IOException {
        Set<String> wireNames = Arrays.stream(CommandType.values()).map(CommandType::wireName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(enumOf("common.json", "/definitions/commandType/enum")).containsExactlyInAnyOrderElementsOf(wireNames);
        try (Stream<Path> files = Files.list(schemasDir.resolve("commands"))) {
            assertThat(files.map(p -> p.getFileName().toString().replaceFirst("\\.json$", "")))
                    .containsExactlyInAnyOrderElementsOf(wireNames);
        }
        assertThat(fieldNames(readJson(schemasDir.resolve("command-event.json")).path("definitions")))
                .containsExactlyInAnyOrderElementsOf(wireNames);
        assertThat(fieldNames(readJson(schemasDir.resolve("headers/command-binary.json")).path("definitions")))
                .containsExactlyInAnyOrderElementsOf(wireNames);

        List<String> binary = new ArrayList<>();
        List<String> structured = new ArrayList<>();
        asyncApi.path("components").path("messages").forEach(message -> {
            String headers = message.path("headers").path("$ref").asText();
            if (headers.contains("command-binary.json")) {
                binary.add(message.path("name").asText());
                assertThat(headers).endsWith("/" + message.path("name").asText());
            } else if (headers.contains("command-structured.json")) {
                structured.add(message.path("name").asText());
                assertThat(message.path("payload").path("$ref").asText()).endsWith("/" + message.path("name").asText());
            }
        });
        assertThat(binary).containsExactlyInAnyOrderElementsOf(wireNames);
        assertThat(structured).containsExactlyInAnyOrderElementsOf(wireNames);
        assertThat(asyncApi.at("/operations/receiveCommands/messages").size()).isEqualTo(wireNames.size() * 2);
    }

    @Test
    void everyTopicOfTheContractIsAChannelAndAStrimziTopic() throws IOException {
        List<String> topics = List.of("flink.commands", "flink.command-results", "flink.lifecycle", "flink.savepoints",
                "flink.scaling", "flink.commands.dlq", "flink.commands.parked");
        List<String> addresses = new ArrayList<>();
        asyncApi.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(topics);
        YAMLMapper yaml = new YAMLMapper();
        JsonNode kustomization = yaml.readTree(topicsDir.resolve("strimzi/kustomization.yaml").toFile());
        List<String> declared = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            JsonNode topic = yaml.readTree(topicsDir.resolve("strimzi").resolve(resource.asText()).toFile());
            assertThat(topic.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(topic.path("spec").path("config").path("min.insync.replicas").asInt()).isEqualTo(2);
            declared.add(topic.path("spec").path("topicName").asText());
            JsonNode channelConfig = channelOf(topic.path("spec").path("topicName").asText()).path("bindings")
                    .path("kafka");
            assertThat(topic.at("/spec/config/retention.ms").asLong()).as(resource.asText())
                    .isEqualTo(channelConfig.at("/topicConfiguration/retention.ms").asLong());
            assertThat(topic.at("/spec/partitions").asInt()).isEqualTo(channelConfig.path("partitions").asInt());
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(topics);
    }

    /** Flink reads the durations; the schema's pattern must accept exactly what Flink's parser does. */
    @ParameterizedTest
    @ValueSource(strings = { "30s", "5 min", "PT5M", "pt1h30m", "10", "1 h", "2days", "100 ms", "3 seconds", "1H",
            "30 S", " 30 s ", "0s", "1µs", "1ns", "5 minutes", "1 millis", "1.5s", "-1s", "10 mins", "", "abc", "P",
            "PT", "5 parsecs" })
    void durationPatternAgreesWithFlink(String value) {
        boolean flinkReadsIt;
        try {
            org.apache.flink.util.TimeUtils.parseDuration(value);
            flinkReadsIt = true;
        } catch (RuntimeException e) {
            flinkReadsIt = false;
        }
        Schema duration = schemaAt(schemasDir.resolve("common.json"), "/definitions/duration");
        assertThat(duration.validate(JSON.getNodeFactory().textNode(value)).isEmpty()).as("'%s'", value)
                .isEqualTo(flinkReadsIt);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Path projectBaseDir() {
        String basedir = System.getProperty("basedir");
        Path dir = Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("kafka-topics/asyncapi.yaml"))) {
                return d;
            }
        }
        return fail("no kafka-topics/asyncapi.yaml above " + dir);
    }

    private static Schema resultSchema() {
        return schemaAt(schemasDir.resolve("events/flink.command.result.json"), "");
    }

    private static Path commandSchema(CommandType type) {
        return schemasDir.resolve("commands/" + type.wireName() + ".json");
    }

    private static Schema schemaOfRef(JsonNode holder) {
        String ref = holder.path("$ref").asText();
        assertThat(ref).as("a $ref in %s", holder).isNotEmpty();
        return schemaAt(fileOf(topicsDir, ref), fragmentOf(ref));
    }

    /** Compiles the schema at a file and JSON pointer, with every reference in it resolved now. */
    private static Schema schemaAt(Path file, String pointer) {
        Schema schema = registry.getSchema(SchemaLocation.of(file.toUri() + (pointer.isEmpty() ? "" : "#" + pointer)));
        schema.initializeValidators();
        return schema;
    }

    private static CommandEnvelope envelope(CommandType type, JsonNode data) {
        return envelope(type, data, "streaming/orders-enricher");
    }

    private static CommandEnvelope envelope(CommandType type, JsonNode data, String subject) {
        return new CommandEnvelope("id-1", type.wireName(), "//contract-test", subject, null, false, null, data, null);
    }

    private static ObjectNode structured(CommandType type, JsonNode data) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0").put("id", "id-1").put("source", "//contract-test").put("type", type.wireName())
                .put("subject", "streaming/orders-enricher").set("data", data);
        return event;
    }

    private static Path fileOf(Path dir, String ref) {
        int hash = ref.indexOf('#');
        return dir.resolve(hash < 0 ? ref : ref.substring(0, hash)).toAbsolutePath().normalize();
    }

    private static String fragmentOf(String ref) {
        int hash = ref.indexOf('#');
        return hash < 0 ? "" : ref.substring(hash + 1);
    }

    private static List<String> refs(JsonNode node) {
        List<String> refs = new ArrayList<>();
        collectRefs(node, refs);
        return refs;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("$ref") && field.getValue().isTextual()) {
                    refs.add(field.getValue().asText());
                } else if (!field.getKey().equals("examples")) {
                    collectRefs(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static JsonNode channelOf(String address) {
        for (JsonNode channel : asyncApi.path("channels")) {
            if (channel.path("address").asText().equals(address)) {
                return channel;
            }
        }
        return fail("no channel " + address);
    }

    private static List<String> enumOf(String file, String pointer) {
        List<String> values = new ArrayList<>();
        readJson(schemasDir.resolve(file)).at(pointer).forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    private static List<String> locations(List<Error> errors) {
        return errors.stream().map(e -> e.getInstanceLocation().toString()).toList();
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
