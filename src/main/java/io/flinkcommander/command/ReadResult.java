package io.flinkcommander.command;

/** What reading a record as a CloudEvent gave: an envelope to validate, or a reason it is not one. */
public sealed interface ReadResult {

    record Readable(CommandEnvelope envelope) implements ReadResult {
    }

    /** Not a CloudEvent we can answer (no id to answer to): it goes to the dead-letter topic. */
    record Unreadable(String reason) implements ReadResult {
    }
}
