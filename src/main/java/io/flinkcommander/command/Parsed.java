package io.flinkcommander.command;

import java.util.List;

/** A command that passed validation, or every error found in it. */
public sealed interface Parsed {

    record Valid(Command command) implements Parsed {
    }

    record Invalid(List<FieldError> errors) implements Parsed {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
