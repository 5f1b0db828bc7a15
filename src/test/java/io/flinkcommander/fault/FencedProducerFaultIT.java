package io.flinkcommander.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The results producer fenced in the middle of the stream: another producer starts with its
 * {@code transactional.id}, as a broker can also do on its own by bumping the producer's epoch
 * while a commit is in flight. The fenced producer can never begin a transaction again, so the
 * replica must say it is not live and be restarted, not go on looking healthy while answering
 * nothing.
 */
class FencedProducerFaultIT {

    @Test
    void aFencedResultsProducerTakesLivenessDownAndTheRestartedReplicaAnswersEverythingOnce() throws Exception {
        try (FaultStack stack = FaultStack.start("fenced")) {
            CommandStream stream = FaultStack.stream("fenced", 6L);
            stack.startService("commander-a", Map.of());
            long started = System.nanoTime();
            CompletableFuture<Void> sending = stack.sendOver(stream, FaultStack.sendingTime());

            stack.awaitServiceWrites(stream, 0.4);
            String progress = stack.progress(stream);
            fence("flink-commander-commander-a", stack.platform().bootstrapServers());
            stack.report("results producer fenced after " + progress);
            sending.get();

            Invariants.Summary summary = stack.invariants().check(stream, FaultStack.resultTimeout(), started);
            assertThat(stack.livenessRestarts()).as("replicas restarted for liveness").isEqualTo(1);
            stack.report("fenced once, " + stack.livenessRestarts() + " liveness restart; " + summary);
        }
    }

    /** Starts a producer with that transactional id: the broker fences every older one. */
    private static void fence(String transactionalId, String bootstrapServers) {
        try (KafkaProducer<byte[], byte[]> usurper = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            usurper.initTransactions();
        }
    }
}
