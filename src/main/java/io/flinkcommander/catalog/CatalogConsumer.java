package io.flinkcommander.catalog;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Phase;
import io.flinkcommander.events.PublishedEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Reads the savepoints topic from the beginning into the {@link SavepointCatalog}: every replica
 * in its own consumer group that never commits, so each start rebuilds the whole catalog (see the
 * {@value #CHANNEL} channel's configuration). Only {@code flink.savepoint.completed} events are kept.
 */
@ApplicationScoped
public class CatalogConsumer {

    public static final String CHANNEL = "savepoint-catalog";
    private static final Logger LOG = Logger.getLogger(CatalogConsumer.class);

    private final SavepointCatalog catalog;
    private final ObjectMapper json;
    private final CommanderConfig config;
    private final Clock clock = Clock.systemUTC();

    public CatalogConsumer(SavepointCatalog catalog, ObjectMapper json, CommanderConfig config) {
        this.catalog = catalog;
        this.json = json;
        this.config = config;
    }

    @Incoming(CHANNEL)
    public void consume(ConsumerRecord<String, byte[]> record) {
        if (!Phase.COMPLETED.type.equals(PublishedEvent.typeOf(record))) {
            return;
        }
        PublishedEvent event = PublishedEvent.read(record, json);
        if (event == null) {
            LOG.warnf("Skipping unreadable savepoint event at %s-%d@%d", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        CatalogEntry entry = new CatalogEntry(event.id(), event.subject(), event.text("snapshotName"),
                event.text("kind"), event.text("triggerType"), event.text("formatType"), event.text("path"),
                event.text("triggerTimestamp"), event.text("resultTimestamp"));
        catalog.add(entry);
        catalog.forgetBefore(Instant.now(clock).minus(config.catalog().retention()));
    }

    /** Retention also applies to jobs that stopped taking savepoints. */
    @Scheduled(every = "1h", delayed = "1m")
    void applyRetention() {
        catalog.forgetBefore(Instant.now(clock).minus(config.catalog().retention()));
    }
}
