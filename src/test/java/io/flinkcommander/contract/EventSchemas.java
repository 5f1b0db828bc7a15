package io.flinkcommander.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The published contract in kafka-topics/schemas, for tests that check what the service really
 * put on a topic: an event's headers against {@code headers/event.json#/definitions/<type>} and
 * its data against {@code events/<type>.json}. Only files under kafka-topics/schemas are served,
 * so a $ref that leaves the contract fails instead of fetching something.
 */
public final class EventSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path schemasDir;
    private final SchemaRegistry registry;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private EventSchemas(Path schemasDir) {
        this.schemasDir = schemasDir;
        String schemasUri = schemasDir.toUri().toString();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(iri -> iri.startsWith(schemasUri) ? read(Path.of(java.net.URI.create(iri)))
                        : null));
    }

    /** The schemas of the project this test runs in. */
    public static EventSchemas load() {
        String basedir = System.getProperty("basedir");
        Path dir = Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("kafka-topics/asyncapi.yaml"))) {
                return new EventSchemas(d.resolve("kafka-topics/schemas").normalize());
            }
        }
        throw new IllegalStateException("no kafka-topics/asyncapi.yaml above " + dir);
    }

    /**
     * What is wrong with one published event, as {@code headers|data <location>: <message>};
     * empty when it matches the contract. The type is read from {@code ce_type}.
     */
    public List<String> violations(Map<String, String> headers, JsonNode data) {
        List<String> out = new ArrayList<>();
        String type = headers.get("ce_type");
        if (type == null || !Files.isRegularFile(schemasDir.resolve("events/" + type + ".json"))) {
            out.add("headers /ce_type: no event schema for " + type);
            return out;
        }
        ObjectNode headerNode = JSON.valueToTree(headers);
        schema("headers/event.json", "/definitions/" + type).validate(headerNode)
                .forEach(e -> out.add("headers " + e.getInstanceLocation() + ": " + e.getMessage()));
        schema("events/" + type + ".json", "").validate(data)
                .forEach(e -> out.add("data " + e.getInstanceLocation() + ": " + e.getMessage()));
        return out;
    }

    private Schema schema(String file, String pointer) {
        return compiled.computeIfAbsent(file + "#" + pointer, key -> {
            Schema schema = registry.getSchema(SchemaLocation.of(schemasDir.resolve(file).toUri()
                    + (pointer.isEmpty() ? "" : "#" + pointer)));
            schema.initializeValidators();
            return schema;
        });
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
