package io.flinkcommander.apply;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

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

    /**
     * Invalid or not allowed; nothing was changed. {@code reason} is {@value #INVALID} or
     * {@value #POLICY_VIOLATION}.
     */
    record Rejected(String reason, List<FieldError> errors) implements Outcome {
        public static final String INVALID = "Invalid";
        public static final String POLICY_VIOLATION = "PolicyViolation";

        public Rejected {
            errors = List.copyOf(errors);
        }

        public static Rejected invalid(List<FieldError> errors) {
            return new Rejected(INVALID, errors);
        }

        public static Rejected at(String path, String message) {
            return invalid(List.of(FieldError.at(path, message)));
        }

        public String name() {
            return "REJECTED";
        }
    }

    /** Could not be applied after retries. */
    record Failed(String reason) implements Outcome {
        public String name() {
            return "FAILED";
        }
    }

    /**
     * The Kubernetes API kept failing transiently (5xx, 429, no answer) for as long as the command
     * was given: trying again later may work. Published as FAILED; the pipeline parks a command
     * that ends so on its in-line budget instead (see DESIGN.md, "A stuck job holds up no other job").
     */
    record Unavailable(java.time.Duration tried, String lastError) implements Outcome {
        public String name() {
            return "FAILED";
        }

        public String reason() {
            return reason(tried, lastError);
        }

        static String reason(java.time.Duration tried, String lastError) {
            return "Kubernetes API unavailable for " + tried.toMillis() + " ms, last error: " + lastError;
        }
    }

    /** This command id was applied before, by another record; nothing changed. */
    record Duplicate(String resourceVersion, Long generation) implements Outcome {
        public String name() {
            return "DUPLICATE";
        }
    }

    /** Validated; {@code rendered} (secrets redacted) is what would have been written. Nothing changed. */
    record DryRun(JsonNode rendered) implements Outcome {
        public String name() {
            return "DRY_RUN";
        }
    }
}
