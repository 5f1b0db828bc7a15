package io.flinkcommander.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Down for good once a transactional producer can no longer begin a transaction (or a commands
 * consumer cannot be sent back to its committed offsets, see {@link BatchTransactions}). Beginning one
 * is local to the client, so when it fails the producer is fenced (another producer took its
 * {@code transactional.id}, or the broker bumped its epoch under it, as a broker restart in the
 * middle of a commit can) or stuck in a state only a new producer leaves. Every later batch would
 * fail the same way while the replica looked healthy; the connector cannot replace its producer,
 * so the replica asks to be restarted, and its uncommitted batches are read again by whoever
 * holds their partitions next.
 */
@Liveness
@ApplicationScoped
public class TransactionsLiveness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(TransactionsLiveness.class);

    private final Map<String, String> unusable = new ConcurrentHashMap<>();

    /**
     * The client of {@code channel} cannot be used any more (a producer that cannot begin
     * transactions, a consumer that cannot be sent back to its committed offsets), because of
     * {@code failure}.
     */
    void unusable(String channel, Throwable failure) {
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (unusable.putIfAbsent(channel, reason) == null) {
            LOG.errorf(failure, "The Kafka client of %s cannot be used any more; liveness is DOWN so that this "
                    + "replica is restarted", channel);
        }
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-transactions");
        unusable.forEach(response::withData);
        return response.status(unusable.isEmpty()).build();
    }
}
