package io.flinkcommander.command;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The target of a command: a Flink resource {@code <namespace>/<name>}, as carried in the
 * CloudEvent {@code subject} and used as the Kafka key.
 */
public record JobRef(String namespace, String name) {

    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LABEL = 63;

    public static Optional<JobRef> parse(String subject) {
        if (subject == null) {
            return Optional.empty();
        }
        int slash = subject.indexOf('/');
        if (slash <= 0 || slash != subject.lastIndexOf('/') || slash == subject.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new JobRef(subject.substring(0, slash), subject.substring(slash + 1)));
    }

    /** Kubernetes namespaces are DNS-1123 labels. */
    public static boolean isValidNamespace(String namespace) {
        return namespace.length() <= MAX_LABEL && DNS_1123_LABEL.matcher(namespace).matches();
    }

    public String key() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return key();
    }
}
