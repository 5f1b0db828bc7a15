package io.flinkcommander.apply;

/**
 * Where a command came from: its id and the position of the record that carried it
 * ({@code topic-partition@offset}). The position tells a redelivery of the same record (after an
 * aborted transaction: answer as the first time) from a second record with the same id (DUPLICATE).
 */
public record CommandOrigin(String commandId, String recordPosition) {
}
