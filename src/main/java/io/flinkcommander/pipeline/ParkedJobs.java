package io.flinkcommander.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.flinkcommander.config.CommanderConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Which jobs have parked commands not answered yet, so that the main path parks their next ones
 * too instead of overtaking them. It is a view of the parked topic: a parked record is unanswered
 * exactly while it lies at or past the parked consumer group's committed offset, because
 * {@link ParkedTopicConsumer} commits a record's offset in the same transaction as its result.
 * <p>
 * {@link #refresh()} brings the view up to date before each main batch: drop what is below the
 * committed offsets, read what was parked since. It reads every partition of the parked topic (a
 * job's parked partition has nothing to do with which commands partitions this replica holds),
 * so it survives restarts and rebalances with nothing of its own to store. Commands this replica
 * parked are also kept as pending until the view reads them, because a committed record can stay
 * invisible to a {@code read_committed} reader while an older transaction on its partition is open.
 * See DESIGN.md for the race windows.
 */
@ApplicationScoped
public class ParkedJobs {

    private static final Logger LOG = Logger.getLogger(ParkedJobs.class);
    /** How long a refresh may wait for Kafka; a failure fails the batch, which is then read again. */
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    /** After a rebalance, at most this long waiting for transactions open on the parked topic. */
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(60);

    private final Map<String, Object> kafkaConfig;
    private final String topic;
    private final String parkedGroup;
    private final Counter parkedTotal;

    /** Unanswered parked records read from the topic: partition → offset → (job, position). */
    private final Map<TopicPartition, TreeMap<Long, Entry>> unanswered = new HashMap<>();
    /** Commands this replica parked that the view has not read yet: position → job. */
    private final Map<String, String> pending = new HashMap<>();
    /** Jobs with unanswered or pending parked commands, with how many. */
    private final Map<String, Integer> jobs = new HashMap<>();
    private volatile boolean catchUpFully = true;
    private final Object readerLock = new Object();
    private KafkaConsumer<String, byte[]> reader;
    private Admin admin;

    @jakarta.inject.Inject
    public ParkedJobs(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, CommanderConfig config,
            @ConfigProperty(name = "mp.messaging.incoming.parked.group.id") String parkedGroup, MeterRegistry registry) {
        this(kafkaConfig, config.topics().parked(), parkedGroup, registry);
    }

    /** @param kafkaConfig the Kafka client settings (bootstrap servers, security) */
    ParkedJobs(Map<String, Object> kafkaConfig, String topic, String parkedGroup, MeterRegistry registry) {
        this.kafkaConfig = kafkaConfig;
        this.topic = topic;
        this.parkedGroup = parkedGroup;
        this.parkedTotal = Counter.builder("commander.commands.parked")
                .description("Commands parked: their job's Kubernetes calls kept failing, or an earlier command of the job was parked")
                .register(registry);
        Gauge.builder("commander.commands.parked.pending", this, ParkedJobs::size)
                .description("Parked commands not answered yet (all replicas see all of them)")
                .register(registry);
    }

    private record Entry(String job, String position) {
    }

    public synchronized boolean isParked(String job) {
        return jobs.containsKey(job);
    }

    /** How many parked commands are not answered yet, as far as this replica knows. */
    public synchronized int size() {
        return pending.size() + unanswered.values().stream().mapToInt(Map::size).sum();
    }

    /** This replica is parking the command read at {@code position}, of {@code job}. */
    synchronized void parking(String job, String position) {
        if (pending.putIfAbsent(position, job) == null) {
            count(job, 1);
            parkedTotal.increment();
        }
    }

    /** The transaction that parked these records failed: they were not parked. */
    synchronized void abandon(Collection<InboundRecord> records) {
        for (InboundRecord record : records) {
            String job = pending.remove(record.position());
            if (job != null) {
                count(job, -1);
            }
        }
    }

    /** The next refresh reads everything written to the parked topic so far, committed or not yet. */
    void catchUpFully() {
        catchUpFully = true;
    }

    /**
     * Brings the view up to date: to the end of the parked topic as a {@code read_committed} reader
     * sees it now; after a rebalance (or on start) to everything written so far, so that what the
     * commands partitions' previous owner parked is seen before their first batch here.
     */
    public void refresh() {
        // Kafka I/O under a lock of its own: the jobs asking isParked meanwhile never wait for it.
        synchronized (readerLock) {
            long started = System.nanoTime();
            KafkaConsumer<String, byte[]> consumer = reader();
            Set<TopicPartition> partitions = consumer.partitionsFor(topic, KAFKA_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toSet());
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, KAFKA_TIMEOUT);
            assignNew(consumer, partitions, committed);
            forgetAnswered(committed);
            boolean full = catchUpFully;
            Map<TopicPartition, Long> end = full ? writtenSoFar(partitions) : consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            read(consumer, committed, end, full ? CATCH_UP_LIMIT : KAFKA_TIMEOUT);
            if (full) {
                catchUpFully = false;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            if (took.compareTo(Duration.ofSeconds(1)) > 0) {
                LOG.infof("Parked topic %s read in %d ms%s", topic, took.toMillis(), full ? " (after a rebalance)" : "");
            }
        }
    }

    /** New partitions of the parked topic start at the committed offset: what lies below is answered. */
    private static void assignNew(KafkaConsumer<String, byte[]> consumer, Set<TopicPartition> partitions,
            Map<TopicPartition, OffsetAndMetadata> committed) {
        if (consumer.assignment().containsAll(partitions)) {
            return;
        }
        Set<TopicPartition> added = new HashSet<>(partitions);
        added.removeAll(consumer.assignment());
        Set<TopicPartition> all = new HashSet<>(consumer.assignment());
        all.addAll(partitions);
        consumer.assign(all);
        for (TopicPartition partition : added) {
            OffsetAndMetadata at = committed.get(partition);
            if (at != null) {
                consumer.seek(partition, at.offset());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    private synchronized void forgetAnswered(Map<TopicPartition, OffsetAndMetadata> committed) {
        committed.forEach((partition, at) -> {
            TreeMap<Long, Entry> entries = unanswered.get(partition);
            if (at != null && entries != null) {
                Iterator<Entry> answered = entries.headMap(at.offset()).values().iterator();
                while (answered.hasNext()) {
                    count(answered.next().job(), -1);
                    answered.remove();
                }
            }
        });
    }

    /**
     * Also when no commands come: so that the gauge tells the truth and the first command of a job
     * whose parked commands were answered meanwhile does not wait for a refresh of its own.
     */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshNow() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf(e, "Parked topic %s: periodic refresh failed; the next batch refreshes again", topic);
        }
    }

    private void read(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> committed,
            Map<TopicPartition, Long> end, Duration limit) {
        long giveUpAt = System.nanoTime() + limit.toNanos();
        while (!reached(consumer, end)) {
            if (System.nanoTime() > giveUpAt) {
                // A transaction left open on the parked topic; the broker aborts it by its timeout.
                LOG.warnf("Parked topic %s: not all of it readable within %s; going on with what was read", topic, limit);
                return;
            }
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
            synchronized (this) {
                for (ConsumerRecord<String, byte[]> record : records) {
                    add(record, committed.get(new TopicPartition(record.topic(), record.partition())));
                }
            }
        }
    }

    private void add(ConsumerRecord<String, byte[]> record, OffsetAndMetadata committed) {
        String position = header(record, ParkedRecords.FROM);
        String job = record.key();
        if (position == null || job == null) {
            return;
        }
        String mine = pending.remove(position);
        if (mine != null) {
            count(mine, -1);
        }
        if (committed == null || record.offset() >= committed.offset()) {
            unanswered.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new TreeMap<>())
                    .put(record.offset(), new Entry(job, position));
            count(job, 1);
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey(), KAFKA_TIMEOUT) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The high watermarks: every record written, including those of transactions still open. */
    private Map<TopicPartition, Long> writtenSoFar(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        try {
            return admin().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(KAFKA_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the parked topic's offsets", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the parked topic's offsets", e);
        }
    }

    private void count(String job, int delta) {
        jobs.merge(job, delta, (a, b) -> a + b == 0 ? null : a + b);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private KafkaConsumer<String, byte[]> reader() {
        if (reader == null) {
            Map<String, Object> config = new HashMap<>(kafkaConfig);
            // The parked group's id, only to read its committed offsets: never subscribes, never commits.
            config.put(ConsumerConfig.GROUP_ID_CONFIG, parkedGroup);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "flink-commander-parked-jobs");
            reader = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        }
        return reader;
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(kafkaConfig);
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            admin = Admin.create(config);
        }
        return admin;
    }

    @PreDestroy
    void close() {
        synchronized (readerLock) {
            closeClients();
        }
    }

    private void closeClients() {
        if (reader != null) {
            reader.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** Tells the registry when the commands consumer's partitions change hands. */
    @ApplicationScoped
    @Identifier("parked-jobs")
    public static class OnRebalance implements KafkaConsumerRebalanceListener {

        private final ParkedJobs parkedJobs;

        public OnRebalance(ParkedJobs parkedJobs) {
            this.parkedJobs = parkedJobs;
        }

        @Override
        public void onPartitionsAssigned(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
                Collection<TopicPartition> partitions) {
            parkedJobs.catchUpFully();
        }
    }
}
