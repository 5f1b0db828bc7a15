package io.flinkcommander.catalog;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every completed savepoint and checkpoint of every job, by job ({@code <namespace>/<name>}).
 * Held in memory and rebuilt from the savepoints topic on start ({@link CatalogConsumer}), so it
 * outlives the resources: a deleted job's savepoints stay listed until retention drops them.
 */
@ApplicationScoped
public class SavepointCatalog {

    private final Map<String, Map<String, CatalogEntry>> byJob = new ConcurrentHashMap<>();

    public void add(CatalogEntry entry) {
        byJob.computeIfAbsent(entry.subject(), k -> new ConcurrentHashMap<>()).putIfAbsent(entry.id(), entry);
    }

    /** Newest first. */
    public List<CatalogEntry> of(String subject) {
        return byJob.getOrDefault(subject, Map.of()).values().stream()
                .sorted(Comparator.comparing(CatalogEntry::time).reversed()).toList();
    }

    /** Forgets entries that completed before {@code cutoff}; entries with unreadable times stay. */
    public void forgetBefore(Instant cutoff) {
        byJob.values().forEach(entries -> entries.values().removeIf(e -> completedBefore(e, cutoff)));
        byJob.values().removeIf(Map::isEmpty);
    }

    private static boolean completedBefore(CatalogEntry entry, Instant cutoff) {
        try {
            return Instant.parse(entry.time()).isBefore(cutoff);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
