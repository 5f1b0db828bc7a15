package io.flinkcommander.apply;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.flinkcommander.command.FieldError;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.config.PolicyConfig;

import org.apache.flink.configuration.MemorySize;

/**
 * The platform team's rules ({@code commander.policy.*}). Each is checked only on what the command
 * sets or changes (the namespace always), so resources that predate a rule stay manageable.
 * Every violation names its rule: {@code policy <rule>: ...}.
 */
final class Guardrails {

    private final PolicyConfig policy;

    Guardrails(PolicyConfig policy) {
        this.policy = policy;
    }

    /**
     * The namespace rule alone, which needs no resource: checked before the resource is read, so a
     * service whose Role covers only the allowed namespaces answers REJECTED, not a 403 FAILED.
     */
    List<FieldError> checkNamespace(JobRef target) {
        return policy.namespaces().filter(allowed -> !allowed.contains(target.namespace()))
                .map(allowed -> List.of(rule("subject", "namespaces",
                        "namespace '" + target.namespace() + "' is not one of " + allowed)))
                .orElse(List.of());
    }

    /**
     * @param before the spec now, or a missing node for a new resource
     * @param after  the spec about to be written
     */
    List<FieldError> check(JobRef target, JsonNode before, JsonNode after) {
        List<FieldError> violations = new ArrayList<>(checkNamespace(target));
        Consumer<FieldError> violation = violations::add;
        before = before == null ? MissingNode.getInstance() : before;
        checkImage(before, after, violation);
        checkJarUri(before, after, violation);
        checkParallelism(before, after, violation);
        checkResources("jobManager", policy.maxJobManagerMemory().orElse(null),
                policy.maxJobManagerCpu().isPresent() ? policy.maxJobManagerCpu().getAsDouble() : null,
                before, after, violation);
        checkResources("taskManager", policy.maxTaskManagerMemory().orElse(null),
                policy.maxTaskManagerCpu().isPresent() ? policy.maxTaskManagerCpu().getAsDouble() : null,
                before, after, violation);
        checkConfigurationKeys(before, after, violation);
        return violations;
    }

    private void checkImage(JsonNode before, JsonNode after, Consumer<FieldError> violation) {
        String image = after.path("image").asText(null);
        if (policy.images().isEmpty() || image == null || !changed(before.path("image"), after.path("image"))) {
            return;
        }
        List<String> prefixes = policy.images().get();
        if (prefixes.stream().noneMatch(image::startsWith)) {
            violation.accept(rule("spec.image", "images", "image '" + image + "' does not start with any of "
                    + prefixes));
        }
    }

    private void checkJarUri(JsonNode before, JsonNode after, Consumer<FieldError> violation) {
        JsonNode jar = after.path("job").path("jarURI");
        if (policy.jarUriSchemes().isEmpty() || !jar.isTextual() || !changed(before.path("job").path("jarURI"), jar)) {
            return;
        }
        String scheme;
        try {
            scheme = URI.create(jar.asText()).getScheme();
        } catch (IllegalArgumentException e) {
            return; // not a URI at all: SpecRules reports it
        }
        if (scheme == null || !policy.jarUriSchemes().get().contains(scheme)) {
            violation.accept(rule("spec.job.jarURI", "jar-uri-schemes", "scheme '" + scheme + "' is not one of "
                    + policy.jarUriSchemes().get()));
        }
    }

    private void checkParallelism(JsonNode before, JsonNode after, Consumer<FieldError> violation) {
        if (policy.maxParallelism().isEmpty()) {
            return;
        }
        int max = policy.maxParallelism().getAsInt();
        JsonNode parallelism = after.path("job").path("parallelism");
        if (parallelism.isIntegralNumber() && parallelism.longValue() > max
                && changed(before.path("job").path("parallelism"), parallelism)) {
            violation.accept(rule("spec.job.parallelism", "max-parallelism", "parallelism " + parallelism.longValue()
                    + " is above the maximum of " + max));
        }
        for (String key : List.of(SpecRules.VERTEX_OVERRIDES, "job.autoscaler.vertex.max-parallelism")) {
            JsonNode value = after.path("flinkConfiguration").path(key);
            if (!value.isValueNode() || !changed(before.path("flinkConfiguration").path(key), value)) {
                continue;
            }
            for (String part : value.asText().split(",")) {
                String number = part.substring(part.indexOf(':') + 1).trim();
                if (number.matches("[0-9]{1,9}") && Integer.parseInt(number) > max) {
                    violation.accept(rule("spec.flinkConfiguration." + key, "max-parallelism",
                            "parallelism " + number + " is above the maximum of " + max));
                    break;
                }
            }
        }
    }

    private static void checkResources(String role, String maxMemory, Double maxCpu, JsonNode before, JsonNode after,
            Consumer<FieldError> violation) {
        JsonNode resource = after.path(role).path("resource");
        JsonNode previous = before.path(role).path("resource");
        String path = "spec." + role + ".resource.";
        if (maxMemory != null && resource.path("memory").isTextual()
                && changed(previous.path("memory"), resource.path("memory"))) {
            long bytes = bytes(resource.path("memory").asText());
            if (bytes > MemorySize.parse(maxMemory).getBytes()) {
                violation.accept(rule(path + "memory", "max-" + kebab(role) + "-memory",
                        resource.path("memory").asText() + " is above the maximum of " + maxMemory));
            }
        }
        if (maxCpu != null && resource.path("cpu").isNumber() && changed(previous.path("cpu"), resource.path("cpu"))
                && resource.path("cpu").doubleValue() > maxCpu) {
            violation.accept(rule(path + "cpu", "max-" + kebab(role) + "-cpu",
                    resource.path("cpu").asText() + " is above the maximum of " + maxCpu));
        }
    }

    private void checkConfigurationKeys(JsonNode before, JsonNode after, Consumer<FieldError> violation) {
        if (policy.forbiddenConfigurationKeys().isEmpty()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> entries = after.path("flinkConfiguration").fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!changed(before.path("flinkConfiguration").path(entry.getKey()), entry.getValue())) {
                continue;
            }
            for (String pattern : policy.forbiddenConfigurationKeys().get()) {
                boolean matches = pattern.endsWith("*") ? entry.getKey().startsWith(pattern.substring(0,
                        pattern.length() - 1)) : entry.getKey().equals(pattern);
                if (matches) {
                    violation.accept(rule("spec.flinkConfiguration." + entry.getKey(), "forbidden-configuration-keys",
                            "'" + entry.getKey() + "' may not be set by commands (matches " + pattern + ")"));
                    break;
                }
            }
        }
    }

    private static long bytes(String memory) {
        try {
            return MemorySize.parse(memory).getBytes();
        } catch (IllegalArgumentException e) {
            // A quantity such as 1e400 is valid but beyond a long, whose longValue() wraps to a
            // small number that slipped under every ceiling: count it as the largest long.
            java.math.BigDecimal amount = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(memory));
            return amount.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE
                    : amount.longValue();
        }
    }

    private static boolean changed(JsonNode before, JsonNode after) {
        return !Objects.equals(before.isMissingNode() ? null : before, after.isMissingNode() ? null : after);
    }

    private static String kebab(String role) {
        return role.equals("jobManager") ? "job-manager" : "task-manager";
    }

    private static FieldError rule(String path, String rule, String message) {
        return FieldError.at(path, "policy " + rule + ": " + message);
    }
}
