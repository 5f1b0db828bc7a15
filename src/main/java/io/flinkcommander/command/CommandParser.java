package io.flinkcommander.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.flink.v1beta1.FlinkDeploymentSpec;
import org.apache.flink.v1beta1.FlinkSessionJobSpec;

/**
 * Validates an envelope and turns it into a typed {@link Command}, or lists what is wrong with
 * it and where. Pure: no I/O, so rules are tested one mutation at a time.
 */
public final class CommandParser {

    /**
     * The operator derives Service and Deployment names from a FlinkDeployment's name, so it only
     * accepts a lower-case alphanumeric name starting with a letter, at most 45 characters.
     */
    private static final Pattern CLUSTER_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_CLUSTER_NAME = 45;
    private static final Pattern DNS_1123_SUBDOMAIN = Pattern
            .compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_SUBDOMAIN = 253;
    private static final Pattern JOB_VERTEX_ID = Pattern.compile("[0-9a-f]{32}");
    public static final String RESERVED_PREFIX = "flink-commander.io/";
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    /** Reads specs as the CRD schema would: no unknown fields, no "2" for 2. */
    private final ObjectMapper strict;

    public CommandParser() {
        this.strict = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // Neither 2.5 for an integer (it would be cut to 2) nor 2048 for a string such as
                // a memory size: the CRD schema refuses both, and so do we.
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Textual, textual -> textual
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Boolean,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
                .build();
    }

    public Parsed parse(CommandEnvelope envelope) {
        List<FieldError> errors = new ArrayList<>();
        if (envelope.source() == null || envelope.source().isBlank()) {
            errors.add(FieldError.at("source", "is required: who issued the command"));
        }
        CommandType type = null;
        if (envelope.type() == null) {
            errors.add(FieldError.at("type", "is required"));
        } else {
            type = CommandType.fromWire(envelope.type()).orElse(null);
            if (type == null) {
                errors.add(FieldError.at("type", "unknown command type '" + envelope.type() + "'; known: "
                        + Arrays.stream(CommandType.values()).map(CommandType::wireName)
                                .collect(Collectors.joining(", "))));
            }
        }
        JobRef target = parseSubject(envelope.subject(), type, errors);
        JsonNode data = envelope.data();
        if (envelope.dataError() != null) {
            errors.add(FieldError.at("data", envelope.dataError()));
        } else if (data != null && !data.isObject()) {
            errors.add(FieldError.at("data", "must be a JSON object"));
        }
        if (!errors.isEmpty() || type == null) {
            return new Parsed.Invalid(errors);
        }
        ObjectNode body = data == null ? strict.createObjectNode() : (ObjectNode) data;
        Command command = switch (type) {
            case DEPLOY -> deploy(target, body, errors);
            case DEPLOY_SESSION_JOB -> deploySessionJob(target, body, errors);
            case SUSPEND -> suspend(target, body, errors);
            case RESUME -> noData(new Command.Resume(target), body, errors);
            case DELETE -> noData(new Command.Delete(target), body, errors);
            case UPGRADE -> upgrade(target, body, errors);
            case RESTART -> noData(new Command.Restart(target), body, errors);
            case SAVEPOINT -> savepoint(target, body, errors);
            case CHECKPOINT -> noData(new Command.TriggerCheckpoint(target), body, errors);
            case REDEPLOY_FROM_SAVEPOINT -> redeploy(target, body, errors);
            case SCALE -> scale(target, body, errors);
            case ROLLBACK -> noData(new Command.Rollback(target), body, errors);
            case CONFIGURE_AUTOSCALER -> autoscaler(target, body, errors);
            case SAVEPOINT_POLICY -> savepointPolicy(target, body, errors);
        };
        return errors.isEmpty() ? new Parsed.Valid(command) : new Parsed.Invalid(errors);
    }

    private JobRef parseSubject(String subject, CommandType type, List<FieldError> errors) {
        if (subject == null || subject.isBlank()) {
            errors.add(FieldError.at("subject", "is required: <namespace>/<name> of the target resource"));
            return null;
        }
        JobRef ref = JobRef.parse(subject).orElse(null);
        if (ref == null) {
            errors.add(FieldError.at("subject", "must be <namespace>/<name>, got '" + subject + "'"));
            return null;
        }
        if (!JobRef.isValidNamespace(ref.namespace())) {
            errors.add(FieldError.at("subject", "namespace '" + ref.namespace()
                    + "' is not a DNS-1123 label (lower-case alphanumerics and '-', at most 63)"));
        }
        if (type == CommandType.DEPLOY) {
            if (ref.name().length() > MAX_CLUSTER_NAME || !CLUSTER_NAME.matcher(ref.name()).matches()) {
                errors.add(FieldError.at("subject", "name '" + ref.name() + "' is not a valid FlinkDeployment "
                        + "name: lower-case alphanumerics and '-', starting with a letter, at most "
                        + MAX_CLUSTER_NAME + " characters"));
            }
        } else if (ref.name().length() > MAX_SUBDOMAIN || !DNS_1123_SUBDOMAIN.matcher(ref.name()).matches()) {
            errors.add(FieldError.at("subject", "name '" + ref.name() + "' is not a DNS-1123 subdomain"));
        }
        return ref;
    }

    private Command deploy(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "spec", "labels", "annotations");
        FlinkDeploymentSpec spec = read(data, "spec", FlinkDeploymentSpec.class, errors);
        if (spec != null) {
            if (spec.getFlinkVersion() == null) {
                errors.add(FieldError.at("data.spec.flinkVersion", "is required"));
            }
            if (spec.getJob() != null) {
                checkParallelism(spec.getJob().getParallelism(), "data.spec.job.parallelism", errors);
            }
        }
        return new Command.Deploy(target, spec, stringMap(data, "labels", errors), annotations(data, errors));
    }

    private Command deploySessionJob(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "spec", "labels", "annotations");
        FlinkSessionJobSpec spec = read(data, "spec", FlinkSessionJobSpec.class, errors);
        if (spec != null) {
            if (spec.getDeploymentName() == null || spec.getDeploymentName().isBlank()) {
                errors.add(FieldError.at("data.spec.deploymentName", "is required: the session cluster to run in"));
            }
            if (spec.getJob() == null) {
                errors.add(FieldError.at("data.spec.job", "is required: a session job runs a job"));
            } else {
                if (spec.getJob().getJarURI() == null || spec.getJob().getJarURI().isBlank()) {
                    errors.add(FieldError.at("data.spec.job.jarURI", "is required"));
                }
                checkParallelism(spec.getJob().getParallelism(), "data.spec.job.parallelism", errors);
            }
        }
        return new Command.DeploySessionJob(target, spec, stringMap(data, "labels", errors),
                annotations(data, errors));
    }

    private Command suspend(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "upgradeMode");
        JsonNode mode = data.get("upgradeMode");
        UpgradeMode upgradeMode = null;
        if (mode != null && !mode.isNull()) {
            upgradeMode = UpgradeMode.fromWire(mode.asText()).orElse(null);
            if (upgradeMode == null || !mode.isTextual()) {
                errors.add(FieldError.at("data.upgradeMode", "must be one of stateless, savepoint, last-state"));
            }
        }
        return new Command.Suspend(target, upgradeMode);
    }

    private static Command noData(Command command, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors);
        return command;
    }

    private Command upgrade(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "patch");
        JsonNode patch = data.get("patch");
        if (patch == null || !patch.isObject() || patch.isEmpty()) {
            errors.add(FieldError.at("data.patch", "is required: a JSON merge patch (RFC 7386) of the spec"));
            return new Command.Upgrade(target, strict.createObjectNode());
        }
        return new Command.Upgrade(target, (ObjectNode) patch);
    }

    private Command savepoint(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "formatType", "path", "disposeOnDelete");
        String formatType = optionalText(data, "formatType", errors);
        if (formatType != null && !List.of("CANONICAL", "NATIVE").contains(formatType)) {
            errors.add(FieldError.at("data.formatType", "must be CANONICAL or NATIVE"));
        }
        String path = optionalText(data, "path", errors);
        if (path != null && path.isBlank()) {
            errors.add(FieldError.at("data.path", "must not be blank"));
        }
        JsonNode dispose = data.get("disposeOnDelete");
        if (dispose != null && !dispose.isBoolean()) {
            errors.add(FieldError.at("data.disposeOnDelete", "must be true or false"));
        }
        return new Command.TriggerSavepoint(target, formatType, path,
                dispose != null && dispose.isBoolean() ? dispose.booleanValue() : null);
    }

    private Command redeploy(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "savepointPath", "latest");
        String path = optionalText(data, "savepointPath", errors);
        JsonNode latest = data.get("latest");
        boolean useLatest = latest != null && latest.isBoolean() && latest.booleanValue();
        if (latest != null && !latest.isBoolean()) {
            errors.add(FieldError.at("data.latest", "must be true or false"));
        } else if (path == null && !useLatest) {
            errors.add(FieldError.at("data.savepointPath", "is required, or latest: true for the newest "
                    + "completed savepoint of the job"));
        } else if (path != null && useLatest) {
            errors.add(FieldError.at("data.latest", "give either savepointPath or latest: true, not both"));
        } else if (path != null && path.isBlank()) {
            errors.add(FieldError.at("data.savepointPath", "must not be blank"));
        }
        return new Command.RedeployFromSavepoint(target, path, useLatest);
    }

    private Command scale(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "parallelism", "vertexParallelism");
        JsonNode parallelism = data.get("parallelism");
        JsonNode vertices = data.get("vertexParallelism");
        if ((parallelism == null) == (vertices == null)) {
            errors.add(FieldError.at("data.parallelism", "give either parallelism or vertexParallelism"));
            return new Command.Scale(target, null, Map.of());
        }
        if (parallelism != null) {
            if (!parallelism.canConvertToLong() || !parallelism.isIntegralNumber()) {
                errors.add(FieldError.at("data.parallelism", "expected a number"));
                return new Command.Scale(target, null, Map.of());
            }
            checkParallelism(parallelism.longValue(), "data.parallelism", errors);
            return new Command.Scale(target, parallelism.longValue(), Map.of());
        }
        if (!vertices.isObject() || vertices.isEmpty()) {
            errors.add(FieldError.at("data.vertexParallelism", "must map job vertex ids to parallelism"));
            return new Command.Scale(target, null, Map.of());
        }
        Map<String, Integer> byVertex = new java.util.TreeMap<>();
        vertices.fields().forEachRemaining(e -> {
            String path = "data.vertexParallelism." + e.getKey();
            if (!JOB_VERTEX_ID.matcher(e.getKey()).matches()) {
                errors.add(FieldError.at(path, "is not a job vertex id (32 hexadecimal characters)"));
            } else if (!e.getValue().isIntegralNumber()) {
                errors.add(FieldError.at(path, "expected a number"));
            } else {
                checkParallelism(e.getValue().longValue(), path, errors);
                byVertex.put(e.getKey(), e.getValue().intValue());
            }
        });
        return new Command.Scale(target, null, byVertex);
    }

    private Command autoscaler(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "enabled", "targetUtilization", "utilizationBoundary", "stabilizationInterval",
                "metricsWindow", "maxParallelism");
        Map<String, String> settings = new LinkedHashMap<>();
        JsonNode enabled = data.get("enabled");
        if (enabled == null || !enabled.isBoolean()) {
            errors.add(FieldError.at("data.enabled", "is required: true or false"));
        } else {
            settings.put("job.autoscaler.enabled", String.valueOf(enabled.booleanValue()));
        }
        fraction(data, "targetUtilization", false, errors)
                .ifPresent(v -> settings.put("job.autoscaler.target.utilization", v));
        fraction(data, "utilizationBoundary", true, errors)
                .ifPresent(v -> settings.put("job.autoscaler.target.utilization.boundary", v));
        duration(data, "stabilizationInterval", errors)
                .ifPresent(v -> settings.put("job.autoscaler.stabilization.interval", v));
        duration(data, "metricsWindow", errors).ifPresent(v -> settings.put("job.autoscaler.metrics.window", v));
        positiveInt(data, "maxParallelism", errors)
                .ifPresent(v -> settings.put("job.autoscaler.vertex.max-parallelism", v));
        return new Command.Configure(target, CommandType.CONFIGURE_AUTOSCALER, settings);
    }

    private Command savepointPolicy(JobRef target, ObjectNode data, List<FieldError> errors) {
        checkOnlyFields(data, errors, "periodicInterval", "maxAge", "maxCount", "cleanup");
        Map<String, String> settings = new LinkedHashMap<>();
        duration(data, "periodicInterval", errors)
                .ifPresent(v -> settings.put("kubernetes.operator.periodic.savepoint.interval", v));
        duration(data, "maxAge", errors)
                .ifPresent(v -> settings.put("kubernetes.operator.savepoint.history.max.age", v));
        positiveInt(data, "maxCount", errors)
                .ifPresent(v -> settings.put("kubernetes.operator.savepoint.history.max.count", v));
        JsonNode cleanup = data.get("cleanup");
        if (cleanup != null && !cleanup.isBoolean()) {
            errors.add(FieldError.at("data.cleanup", "must be true or false"));
        } else if (cleanup != null) {
            settings.put("kubernetes.operator.savepoint.cleanup.enabled", String.valueOf(cleanup.booleanValue()));
        }
        if (data.isEmpty()) {
            errors.add(FieldError.at("data", "give at least one of periodicInterval, maxAge, maxCount, cleanup"));
        }
        return new Command.Configure(target, CommandType.SAVEPOINT_POLICY, settings);
    }

    private static String optionalText(ObjectNode data, String field, List<FieldError> errors) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(FieldError.at("data." + field, "expected a string"));
            return null;
        }
        return node.asText();
    }

    /** Flink's own duration syntax ("5 min", "30s", "PT5M"), checked with Flink's parser. */
    private static java.util.Optional<String> duration(ObjectNode data, String field, List<FieldError> errors) {
        String value = optionalText(data, field, errors);
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            org.apache.flink.util.TimeUtils.parseDuration(value);
            return java.util.Optional.of(value);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.at("data." + field, "'" + value + "' is not a duration Flink can read, "
                    + "such as 30s, 5 min or PT5M"));
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<String> fraction(ObjectNode data, String field, boolean zeroAllowed,
            List<FieldError> errors) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return java.util.Optional.empty();
        }
        double value = node.asDouble();
        if (!node.isNumber() || value > 1 || value < 0 || (!zeroAllowed && value == 0)) {
            errors.add(FieldError.at("data." + field, "must be a number " + (zeroAllowed ? "from 0" : "above 0")
                    + " up to 1"));
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(node.asText());
    }

    private static java.util.Optional<String> positiveInt(ObjectNode data, String field, List<FieldError> errors) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return java.util.Optional.empty();
        }
        if (!node.isIntegralNumber() || node.longValue() < 1 || node.longValue() > Integer.MAX_VALUE) {
            errors.add(FieldError.at("data." + field, "must be a whole number of at least 1"));
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(node.asText());
    }

    private <T> T read(ObjectNode data, String field, Class<T> type, List<FieldError> errors) {
        JsonNode node = data.get(field);
        String path = "data." + field;
        if (node == null || node.isNull()) {
            errors.add(FieldError.at(path, "is required"));
            return null;
        }
        if (!node.isObject()) {
            errors.add(FieldError.at(path, "must be an object"));
            return null;
        }
        try {
            return strict.treeToValue(node, type);
        } catch (JsonMappingException e) {
            errors.add(mappingError(path, e));
            return null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            errors.add(FieldError.at(path, e.getOriginalMessage()));
            return null;
        }
    }

    private Map<String, String> stringMap(ObjectNode data, String field, List<FieldError> errors) {
        JsonNode node = data.get(field);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        String path = "data." + field;
        if (!node.isObject()) {
            errors.add(FieldError.at(path, "must be an object of strings"));
            return Map.of();
        }
        List<String> notStrings = new ArrayList<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                notStrings.add(e.getKey());
            }
        });
        notStrings.forEach(key -> errors.add(FieldError.at(path + "." + key, "must be a string")));
        return notStrings.isEmpty() ? strict.convertValue(node, STRING_MAP) : Map.of();
    }

    /** Annotations under our own prefix hold the service's memory of applied commands: not for producers. */
    private Map<String, String> annotations(ObjectNode data, List<FieldError> errors) {
        Map<String, String> annotations = stringMap(data, "annotations", errors);
        annotations.keySet().stream().filter(key -> key.startsWith(RESERVED_PREFIX)).sorted()
                .forEach(key -> errors.add(FieldError.at("data.annotations." + key,
                        "the " + RESERVED_PREFIX + " prefix is reserved for Flink Commander")));
        return annotations;
    }

    private static void checkOnlyFields(ObjectNode data, List<FieldError> errors, String... allowed) {
        List<String> known = List.of(allowed);
        data.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                errors.add(FieldError.at("data." + name, known.isEmpty() ? "unknown field; this command takes no data"
                        : "unknown field; allowed: " + String.join(", ", known)));
            }
        });
    }

    private static void checkParallelism(Long parallelism, String path, List<FieldError> errors) {
        if (parallelism != null && parallelism < 1) {
            errors.add(FieldError.at(path, "must be at least 1, got " + parallelism));
        }
    }

    /** Turns Jackson's location of the first problem into our path and a message a person can act on. */
    private static FieldError mappingError(String root, JsonMappingException e) {
        StringBuilder path = new StringBuilder(root);
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String message;
        if (e instanceof UnrecognizedPropertyException) {
            message = "unknown field";
        } else if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            message = "'" + invalid.getValue() + "' is not one of " + Arrays.stream(
                    invalid.getTargetType().getEnumConstants()).map(CommandParser::wireValue)
                    .collect(Collectors.joining(", "));
        } else {
            message = "expected " + describe(e);
        }
        return FieldError.at(path.toString(), message);
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
                return "a number";
            }
            if (target == String.class) {
                return "a string";
            }
            if (target == Boolean.class) {
                return "a boolean";
            }
            return "a " + target.getSimpleName();
        }
        return "another value";
    }

    /** Generated CRD enums carry their wire value in {@code @JsonProperty}, not in name(). */
    private static String wireValue(Object constant) {
        Enum<?> e = (Enum<?>) constant;
        try {
            JsonProperty property = e.getDeclaringClass().getField(e.name()).getAnnotation(JsonProperty.class);
            return property == null ? e.name() : property.value();
        } catch (NoSuchFieldException impossible) {
            return e.name();
        }
    }
}
