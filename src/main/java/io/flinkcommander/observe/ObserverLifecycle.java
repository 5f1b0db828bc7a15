package io.flinkcommander.observe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flinkcommander.config.CommanderConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Starts observing with the service, and publishing while this replica holds the lease. */
@ApplicationScoped
public class ObserverLifecycle {

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
            leadership.close();
        }
        observer.stop();
    }
}
