package io.flinkcommander.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.flinkcommander.config.CommanderConfig;
import io.flinkcommander.events.ObservedEvent.SavepointRecorded.Phase;
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
        if (!Phase.COMPLETED.type.equals(header(record, "ce_type"))) {
            return;
        }
        String id = header(record, "ce_id");
        String subject = header(record, "ce_subject");
        JsonNode data;
        try {
            data = json.readTree(record.value());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Skipping unreadable savepoint event %s at %s-%d@%d", id, record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (id == null || subject == null || data == null) {
            return;
        }
        CatalogEntry entry = new CatalogEntry(id, subject, text(data, "snapshotName"), text(data, "kind"),
                text(data, "triggerType"), text(data, "formatType"), text(data, "path"), text(data, "triggerTimestamp"),
                text(data, "resultTimestamp"));
        catalog.add(entry);
        catalog.forgetBefore(Instant.now(clock).minus(config.catalog().retention()));
    }

    /** Retention also applies to jobs that stopped taking savepoints. */
    @Scheduled(every = "1h", delayed = "1m")
    void applyRetention() {
        catalog.forgetBefore(Instant.now(clock).minus(config.catalog().retention()));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), UTF_8);
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
