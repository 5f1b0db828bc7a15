package io.flinkcommander.observe;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;

/**
 * Leader election on a coordination.k8s.io Lease: of all replicas with the same lease, one at a
 * time is told {@code true}. A leader that dies stops renewing; another replica takes the lease
 * once {@code leaseDuration} has passed since the last renewal. A replica that loses the lease is
 * told {@code false} and competes again.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    /** The lease and its timing. */
    public record Settings(String namespace, String leaseName, String identity, Duration leaseDuration,
            Duration renewDeadline, Duration retryPeriod) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final Consumer<Boolean> onChange;
    private volatile CompletableFuture<?> running;
    private volatile boolean closed;
    private volatile boolean leader;

    public Leadership(KubernetesClient client, Settings settings, Consumer<Boolean> onChange) {
        this.client = client;
        this.settings = settings;
        this.onChange = onChange;
    }

    public synchronized Leadership start() {
        if (closed || running != null && !running.isDone()) {
            return this;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName(settings.leaseName())
                .withLock(new LeaseLock(settings.namespace(), settings.leaseName(), settings.identity()))
                .withLeaseDuration(settings.leaseDuration())
                .withRenewDeadline(settings.renewDeadline())
                .withRetryPeriod(settings.retryPeriod())
                // A replica shutting down hands over at once instead of after leaseDuration.
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> changed(true), () -> changed(false), newLeader -> LOG
                        .debugf("Lease %s held by %s", settings.leaseName(), newLeader)))
                .build();
        running = client.leaderElector().withConfig(config).build().start();
        // The elector returns once this replica stopped leading (or failed): compete again.
        running.whenComplete((ok, failure) -> {
            if (!closed) {
                if (failure != null) {
                    LOG.warnf("Leader election on lease %s stopped: %s; joining again", settings.leaseName(),
                            failure.getMessage());
                }
                start();
            }
        });
        return this;
    }

    public boolean isLeader() {
        return leader;
    }

    private void changed(boolean leading) {
        leader = leading;
        LOG.infof("%s %s the lease %s/%s", settings.identity(), leading ? "holds" : "lost", settings.namespace(),
                settings.leaseName());
        onChange.accept(leading);
    }

    @Override
    public synchronized void close() {
        closed = true;
        CompletableFuture<?> current = running;
        if (current != null) {
            current.cancel(true);
        }
    }
}
