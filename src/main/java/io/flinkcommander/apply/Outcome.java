package io.flinkcommander.apply;

import java.util.List;

import io.flinkcommander.command.FieldError;

/** What applying a command came to. Not exceptional: every command ends in exactly one of these. */
public sealed interface Outcome {

    /** The wire value of {@code outcome} in the result event. */
    String name();

    /** The resource now says what was asked. {@code note} explains a no-op, e.g. already absent. */
    record Applied(String resourceVersion, Long generation, String note) implements Outcome {
        public String name() {
            return "APPLIED";
        }
    }

    /** Invalid or not allowed; nothing was changed. */
    record Rejected(List<FieldError> errors) implements Outcome {
        public Rejected {
            errors = List.copyOf(errors);
        }

        public String name() {
            return "REJECTED";
        }

        public static Rejected at(String path, String message) {
            return new Rejected(List.of(FieldError.at(path, message)));
        }
    }

    /** Could not be applied after retries. */
    record Failed(String reason) implements Outcome {
        public String name() {
            return "FAILED";
        }
    }

    /** This command id was applied before, by another record; nothing changed. */
    record Duplicate(String resourceVersion, Long generation) implements Outcome {
        public String name() {
            return "DUPLICATE";
        }
    }
}
