package io.flinkcommander.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Guardrails, all off unless set ({@code commander.policy.*}). A command that breaks one is
 * REJECTED with reason {@code PolicyViolation} and the rule's name. Rules on a field apply when a
 * command sets or changes that field, so a resource created before a rule existed can still be
 * suspended or deleted.
 */
public interface PolicyConfig {

    /** {@code namespaces}: the only namespaces commands may target. */
    Optional<Set<String>> namespaces();

    /** {@code images}: allowed image prefixes, e.g. {@code registry.example/flink/}. */
    Optional<List<String>> images();

    /** {@code jar-uri-schemes}: allowed {@code jarURI} schemes, e.g. {@code local,s3}. */
    Optional<Set<String>> jarUriSchemes();

    /** {@code max-parallelism}: for the job and for every vertex. */
    OptionalInt maxParallelism();

    /** {@code max-job-manager-memory}: in Flink's syntax, e.g. {@code 4g}. */
    Optional<String> maxJobManagerMemory();

    OptionalDouble maxJobManagerCpu();

    /** {@code max-task-manager-memory}: in Flink's syntax, e.g. {@code 16g}. */
    Optional<String> maxTaskManagerMemory();

    OptionalDouble maxTaskManagerCpu();

    /** {@code forbidden-configuration-keys}: keys a command may not set; {@code prefix.*} matches a prefix. */
    Optional<List<String>> forbiddenConfigurationKeys();
}
