package io.flinkcommander.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sends commands to the service and times each one until its result is committed (W1, W2).
 * Commands are sent from their own thread, either as fast as the broker takes them or at a
 * steady rate; a command's latency runs from when it was due to be sent, so a sender that falls
 * behind does not hide the delay (no coordinated omission).
 */
final class CommandRun {

    static final String COMMANDS = "flink.commands";
    static final String RESULTS = "flink.command-results";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Command(String id, String subject, byte[] event) {
    }

    /** The figures of one run, and its latencies for the chart. */
    record Outcome(Map<String, Object> figures, Latencies latencies) {
    }

    private CommandRun() {
    }

    /**
     * Each job gets a deploy first, then upgrade, scale, savepoint, suspend, resume, ... in a cycle
     * that is valid whatever its length; command i goes to job i % jobs, so every batch mixes many
     * jobs and a job's commands are spread out over the run.
     */
    static List<Command> mixedLoad(int commands, int jobs, String prefix) {
        String[][] cycle = {
            {"flink.job.upgrade", "{\"patch\":{\"job\":{\"parallelism\":2}}}"},
            {"flink.job.scale", "{\"parallelism\":3}"},
            {"flink.job.savepoint", "{}"},
            {"flink.job.suspend", "{}"},
            {"flink.job.resume", "{}"},
            {"flink.job.upgrade", "{\"patch\":{\"flinkConfiguration\":{\"taskmanager.numberOfTaskSlots\":\"2\"}}}"},
            {"flink.job.scale", "{\"parallelism\":4}"},
            {"flink.job.suspend", "{\"upgradeMode\":\"stateless\"}"},
            {"flink.job.resume", "{}"},
        };
        String[] deploy = {"flink.job.deploy", "{\"spec\":" + Benchmark.spec(1) + "}"};
        List<Command> load = new ArrayList<>(commands);
        for (int i = 0; load.size() < commands; i++) {
            int round = i / jobs;
            String[] step = round == 0 ? deploy : cycle[(round - 1) % cycle.length];
            String subject = "bench/" + prefix + "-" + (i % jobs);
            String id = UUID.randomUUID().toString();
            String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"//bench\",\"type\":\"" + step[0]
                    + "\",\"subject\":\"" + subject + "\",\"data\":" + step[1] + "}";
            load.add(new Command(id, subject, event.getBytes(UTF_8)));
        }
        return load;
    }

    /**
     * Sends {@code load} ({@code rate} per second; 0 or less: as fast as possible) and collects
     * results until every command has one or {@code drain} has passed after the last send.
     */
    static Outcome run(String bootstrap, List<Command> load, double rate, Duration drain) throws Exception {
        Map<String, Long> dueAt = new ConcurrentHashMap<>(load.size() * 2);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        long[] latencies = new long[load.size()];
        long[] arrivals = new long[load.size()];
        int received = 0;
        int maxSeconds = (int) (rate > 0 ? load.size() / rate : 0) + (int) drain.toSeconds() + 2;
        AtomicIntegerArray sentPerSecond = new AtomicIntegerArray(maxSeconds + 1);
        AtomicInteger sent = new AtomicInteger();
        AtomicLong lastSend = new AtomicLong();

        try (KafkaConsumer<String, byte[]> results = resultConsumer(bootstrap);
                KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            results.subscribe(List.of(RESULTS));
            while (results.assignment().isEmpty()) {
                results.poll(Duration.ofMillis(100));
            }
            results.seekToEnd(results.assignment());
            results.assignment().forEach(results::position);

            long start = System.nanoTime();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < load.size(); i++) {
                    Command c = load.get(i);
                    long due = rate > 0 ? start + (long) (i * 1e9 / rate) : System.nanoTime();
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(COMMANDS, c.subject(), c.event());
                    record.headers().add("content-type", "application/cloudevents+json".getBytes(UTF_8));
                    dueAt.put(c.id(), due);
                    producer.send(record);
                    sent.incrementAndGet();
                    long now = System.nanoTime();
                    sentPerSecond.incrementAndGet((int) Math.min(maxSeconds, (now - start) / 1_000_000_000L));
                    lastSend.set(now);
                }
                producer.flush();
            }, "bench-sender");
            sender.start();

            long sendEnd = Long.MAX_VALUE;
            int backlogAtSendEnd = -1;
            while (received < load.size()) {
                if (sendEnd == Long.MAX_VALUE && !sender.isAlive()) {
                    sendEnd = System.nanoTime();
                    backlogAtSendEnd = load.size() - received;
                }
                if (System.nanoTime() - sendEnd > drain.toNanos()) {
                    break;
                }
                for (ConsumerRecord<String, byte[]> r : results.poll(Duration.ofMillis(100))) {
                    Header causation = r.headers().lastHeader("ce_causationid");
                    Long due = causation == null ? null : dueAt.remove(new String(causation.value(), UTF_8));
                    if (due == null) {
                        continue;
                    }
                    long now = System.nanoTime();
                    latencies[received] = now - due;
                    arrivals[received] = now - start;
                    received++;
                    outcomes.merge(JSON.readTree(r.value()).path("outcome").asText(), 1, Integer::sum);
                }
            }
            sender.join();
            long waitedUntil = System.nanoTime() - start;
            long lastResult = received == 0 ? start : start + arrivals[received - 1];
            double sendSeconds = (lastSend.get() - start) / 1e9;
            Latencies all = Latencies.of(latencies, received);

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("commands", load.size());
            if (rate > 0) {
                figures.put("targetRatePerSecond", rate);
            }
            figures.put("sendSeconds", Latencies.round(sendSeconds));
            figures.put("achievedSendRatePerSecond", Latencies.round(load.size() / Math.max(sendSeconds, 1e-3)));
            figures.put("results", received);
            figures.put("outcomes", outcomes);
            figures.put("withoutResultAtDeadline", load.size() - received);
            figures.put("backlogAtEndOfSend", backlogAtSendEnd);
            double seconds = (lastResult - start) / 1e9;
            figures.put("seconds", Latencies.round(seconds));
            figures.put("commandsPerSecond", Latencies.round(received / Math.max(seconds, 1e-3)));
            figures.putAll(all.figures());
            if (rate > 0) {
                figures.put("keptUp", received == load.size() && backlogAtSendEnd <= rate);
                figures.put("timeline", timeline(sentPerSecond, latencies, arrivals, received, waitedUntil));
            }
            return new Outcome(figures, all);
        }
    }

    /**
     * Per second of the run: commands sent, results, backlog (sent, not yet answered), and the
     * median latency of that second's results (null: none came), until the
     * wait for results ended.
     */
    private static List<Map<String, Object>> timeline(AtomicIntegerArray sentPerSecond, long[] latencies, long[] arrivals,
            int received, long waitedUntil) {
        int seconds = (int) (waitedUntil / 1_000_000_000L) + 1;
        List<Map<String, Object>> rows = new ArrayList<>();
        int sentSoFar = 0;
        int doneSoFar = 0;
        int next = 0;
        for (int s = 0; s < seconds; s++) {
            sentSoFar += s < sentPerSecond.length() ? sentPerSecond.get(s) : 0;
            int first = next;
            while (next < received && arrivals[next] < (s + 1) * 1_000_000_000L) {
                next++;
            }
            doneSoFar += next - first;
            long[] second = java.util.Arrays.copyOfRange(latencies, first, next);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("second", s);
            row.put("sent", sentSoFar);
            row.put("results", doneSoFar);
            row.put("backlog", sentSoFar - doneSoFar);
            row.put("p50Ms", second.length == 0 ? null : Latencies.of(second, second.length).millis(0.5));
            rows.add(row);
        }
        return rows;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> resultConsumer(String bootstrap) {
        return consumer(bootstrap, "latest");
    }

    /** A consumer in a group of its own, reading committed records only. */
    static KafkaConsumer<String, byte[]> consumer(String bootstrap, String offsetReset) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
