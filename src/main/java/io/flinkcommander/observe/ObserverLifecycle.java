package io.flinkcommander.observe;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.config.CommanderConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Starts observing with the service, and publishing while this replica holds the lease. */
@ApplicationScoped
public class ObserverLifecycle {

    /** At most this long a replica shutting down waits for its sends before releasing the lease. */
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);

    private final ResourceObserver observer;
    private final KubernetesClient client;
    private final CommanderConfig config;
    private Leadership leadership;

    public ObserverLifecycle(ResourceObserver observer, KubernetesClient client, CommanderConfig config) {
        this.observer = observer;
        this.client = client;
        this.config = config;
    }

    void onStart(@Observes StartupEvent start) {
        if (!config.observe().enabled()) {
            return;
        }
        observer.start();
        var election = config.observe().leaderElection();
        if (!election.enabled()) {
            observer.lead(true);
            return;
        }
        leadership = new Leadership(client, new Leadership.Settings(
                election.leaseNamespace().orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace()),
                election.leaseName(), config.instanceId(), election.leaseDuration(), election.renewDeadline(),
                election.retryPeriod()), observer::lead).start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (leadership != null) {
            // Hand over only once what this replica sent is in Kafka: the next leader reads the
            // lifecycle topic back (deletes nobody observed) and must find it there.
            observer.lead(false);
            observer.awaitPublished(HANDOVER_WAIT);
            leadership.close();
        }
        observer.stop();
    }
}
