package io.flinkcommander.command;

/**
 * One thing wrong with a command, and where: {@code path} is a JSON-style path into the
 * CloudEvent ({@code subject}, {@code data.spec.job.parallelism}), so a producer can find it.
 */
public record FieldError(String path, String message) {

    public static FieldError at(String path, String message) {
        return new FieldError(path, message);
    }
}
