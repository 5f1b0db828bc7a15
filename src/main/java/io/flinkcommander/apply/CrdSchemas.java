package io.flinkcommander.apply;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.flinkcommander.command.FieldError;

/**
 * The operator's own CRD schemas ({@code openAPIV3Schema}, served version), used to validate
 * every resource before it is written, as a real API server would, and more strictly: an object
 * that declares its properties and does not preserve unknown fields gets
 * {@code additionalProperties: false}, so a misspelt field is an error here instead of being
 * pruned silently there.
 */
final class CrdSchemas {

    private static final String VERSION = "v1beta1";
    private static final Map<String, String> FILES = Map.of(
            "FlinkDeployment", "crds/flinkdeployments.flink.apache.org-v1.yml",
            "FlinkSessionJob", "crds/flinksessionjobs.flink.apache.org-v1.yml",
            "FlinkStateSnapshot", "crds/flinkstatesnapshots.flink.apache.org-v1.yml");

    private final Map<String, Schema> byKind = new LinkedHashMap<>();

    CrdSchemas() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        FILES.forEach((kind, file) -> byKind.put(kind, registry.getSchema(strict(openApiSchema(yaml, file)))));
    }

    /**
     * Errors in {@code resource} (status is not ours to write and is left out), with paths such as
     * {@code spec.job.parallelism}.
     */
    List<FieldError> validate(String kind, JsonNode resource) {
        ObjectNode withoutStatus = ((ObjectNode) resource).deepCopy();
        withoutStatus.remove("status");
        List<FieldError> errors = new ArrayList<>();
        for (Error error : byKind.get(kind).validate(withoutStatus)) {
            errors.add(FieldError.at(path(error), message(error)));
        }
        return errors;
    }

    private static String path(Error error) {
        String path = dotted(error.getInstanceLocation().toString());
        // An unknown property is reported on its parent object: name the property itself.
        if ("additionalProperties".equals(error.getKeyword()) && error.getProperty() != null) {
            path = path.isEmpty() ? error.getProperty() : path + "." + error.getProperty();
        }
        return path;
    }

    /** {@code /spec/containers/0/name} (a JSON pointer) as {@code spec.containers[0].name}. */
    private static String dotted(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty() || segment.equals("$")) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.matches("[0-9]+")) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(name);
            }
        }
        return path.toString();
    }

    private static String message(Error error) {
        if ("additionalProperties".equals(error.getKeyword())) {
            return "unknown field";
        }
        String message = error.getMessage();
        // The validator puts the location first ("$.spec.x: ..."); the path is already given.
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }

    private static JsonNode openApiSchema(ObjectMapper yaml, String file) {
        try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("CRD " + file + " is not on the classpath");
            }
            for (JsonNode version : yaml.readTree(in).path("spec").path("versions")) {
                if (VERSION.equals(version.path("name").asText())) {
                    return version.path("schema").path("openAPIV3Schema").deepCopy();
                }
            }
            throw new IllegalStateException("CRD " + file + " has no version " + VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CRD " + file, e);
        }
    }

    private static JsonNode strict(JsonNode schema) {
        ObjectNode root = (ObjectNode) schema;
        ObjectNode properties = root.with("properties");
        properties.putObject("apiVersion").put("type", "string");
        properties.putObject("kind").put("type", "string");
        // Kubernetes validates metadata itself; we only need it to be an object.
        properties.putObject("metadata").put("type", "object");
        closeObjects(root);
        return root;
    }

    private static void closeObjects(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            if (node != null && node.isArray()) {
                node.forEach(CrdSchemas::closeObjects);
            }
            return;
        }
        boolean preservesUnknown = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (object.has("properties") && !preservesUnknown && !object.has("additionalProperties")) {
            object.put("additionalProperties", false);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!"metadata".equals(field.getKey()) || !field.getValue().has("type")) {
                closeObjects(field.getValue());
            }
        }
    }
}
