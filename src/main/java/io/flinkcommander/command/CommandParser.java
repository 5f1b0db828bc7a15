package io.flinkcommander.command;

import java.util.ArrayList;
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
            case RESUME -> new Command.Resume(target);
            case DELETE -> new Command.Delete(target);
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
                errors.add(FieldError.at("data." + name, "unknown field; allowed: " + String.join(", ", known)));
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
