package io.flinkcommander.fault;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a job's spec must be after its commands, applied in order: a small model of the commands
 * the fault streams use, written from the README's command table, independent of the service's
 * own spec edits (so that a bug there shows up as a difference, not twice the same mistake).
 */
final class SpecModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The expected end state of one job. */
    record Expected(ObjectNode spec, List<String> savepointIds, List<String> appliedIds, int starts) {
    }

    private SpecModel() {
    }

    /** Applies one job's commands in order; every one of them is expected to have been APPLIED. */
    static Expected of(List<FaultCommand> commands) {
        ObjectNode spec = null;
        List<String> savepoints = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        int starts = 0;
        for (FaultCommand command : commands) {
            applied.add(command.id());
            switch (command.verb()) {
                case "deploy" -> {
                    spec = command.data().get("spec").deepCopy();
                    starts++;
                }
                case "upgrade" -> {
                    mergePatch(spec, command.data().get("patch"));
                    starts++;
                }
                case "scale" -> {
                    job(spec).put("parallelism", command.data().get("parallelism").asInt());
                    starts++;
                }
                case "suspend" -> {
                    job(spec).put("state", "suspended");
                    if (command.data().has("upgradeMode")) {
                        job(spec).put("upgradeMode", command.data().get("upgradeMode").asText());
                    }
                }
                case "resume" -> {
                    job(spec).put("state", "running");
                    starts++;
                }
                case "restart" -> {
                    spec.put("restartNonce", nonce(command.id()));
                    starts++;
                }
                // A FlinkStateSnapshot named after the command; the spec does not change.
                case "savepoint" -> savepoints.add(command.id());
                default -> throw new IllegalArgumentException("not modelled: " + command.type());
            }
        }
        return new Expected(spec, savepoints, applied, starts);
    }

    private static ObjectNode job(ObjectNode spec) {
        return (ObjectNode) spec.get("job");
    }

    /** RFC 7386: objects merge, null removes, anything else replaces. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergePatch((ObjectNode) existing, value);
            } else if (value.isObject()) {
                ObjectNode fresh = JSON.createObjectNode();
                mergePatch(fresh, value);
                target.set(field.getKey(), fresh);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    /**
     * The restart nonce the README promises is derived from the command id: the first 8 bytes of
     * its SHA-256 as a positive long (1 if that is 0).
     */
    static long nonce(String commandId) {
        try {
            long value = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(commandId.getBytes(UTF_8)))
                    .getLong() & Long.MAX_VALUE;
            return value == 0 ? 1 : value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
