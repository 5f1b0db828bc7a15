package io.flinkcommander.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import io.flinkcommander.command.FieldError;
import io.flinkcommander.command.JobRef;
import io.flinkcommander.config.PolicyConfig;

/**
 * Everything a resource must pass before it is written: the CRD schema and Flink's own rules
 * (REJECTED, Invalid), then the guardrails (REJECTED, PolicyViolation). Errors come back with
 * paths in the command's terms ({@code data.spec...}, {@code data.patch...}) where the command
 * wrote that field.
 */
final class ResourceChecks {

    private final CrdSchemas schemas = new CrdSchemas();
    private final SpecRules rules = new SpecRules();
    private final Guardrails guardrails;

    ResourceChecks(PolicyConfig policy) {
        this.guardrails = new Guardrails(policy);
    }

    /** @return why nothing about {@code target} may be read or written (a namespace not allowed), or null */
    Outcome.Rejected checkTarget(JobRef target) {
        List<FieldError> violations = guardrails.checkNamespace(target);
        return violations.isEmpty() ? null : new Outcome.Rejected(Outcome.Rejected.POLICY_VIOLATION, violations);
    }

    /** @return why the resource may not be written, or null */
    Outcome.Rejected check(FlinkKind<?> kind, JobRef target, JsonNode resource, JsonNode specBefore,
            UnaryOperator<String> toCommandPath) {
        JsonNode spec = resource.path("spec");
        List<FieldError> invalid = new ArrayList<>(schemas.validate(kind.kindName(), resource));
        if (kind != FlinkKind.STATE_SNAPSHOT) {
            invalid.addAll(rules.check(kind, spec));
        }
        if (!invalid.isEmpty()) {
            return Outcome.Rejected.invalid(map(invalid, toCommandPath));
        }
        List<FieldError> violations = guardrails.check(target, specBefore, spec);
        return violations.isEmpty() ? null
                : new Outcome.Rejected(Outcome.Rejected.POLICY_VIOLATION, map(violations, toCommandPath));
    }

    private static List<FieldError> map(List<FieldError> errors, UnaryOperator<String> toCommandPath) {
        return errors.stream().map(e -> FieldError.at(toCommandPath.apply(e.path()), e.message())).toList();
    }
}
