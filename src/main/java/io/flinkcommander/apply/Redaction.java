package io.flinkcommander.apply;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Secrets never leave the service: configuration values whose keys look like credentials
 * ({@code *password*}, {@code *secret*}, {@code *token*}, {@code *.key}, access and private keys)
 * are replaced before anything is published or logged. Environment variables in pod templates
 * ({@code {name, value}}) are judged by their name.
 */
public final class Redaction {

    public static final String REDACTED = "<redacted>";

    private Redaction() {
    }

    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("token") || k.endsWith(".key")
                || k.contains("access-key") || k.contains("access_key") || k.contains("accesskey")
                || k.contains("private-key") || k.contains("private_key") || k.contains("credential");
    }

    /** A redacted deep copy. */
    public static JsonNode redact(JsonNode node) {
        JsonNode copy = node.deepCopy();
        redactInPlace(copy);
        return copy;
    }

    private static void redactInPlace(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode name = object.get("name");
            if (name != null && name.isTextual() && isSecretKey(name.asText()) && object.has("value")) {
                object.put("value", REDACTED);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isValueNode() && !field.getValue().isNull() && isSecretKey(field.getKey())) {
                    field.setValue(object.textNode(REDACTED));
                } else {
                    redactInPlace(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(Redaction::redactInPlace);
        }
    }
}
